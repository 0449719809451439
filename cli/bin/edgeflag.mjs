#!/usr/bin/env node
import { main } from "../src/main.ts";
// `edgeflag history | head`: the reader went away, which is no error of ours.
process.stdout.on("error", (e) => process.exit(e.code === "EPIPE" ? 0 : 2));
process.exitCode = await main(process.argv.slice(2));
