// The shared suite in real Deno (the `deno` npm package), run on the TypeScript sources.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { registerResults } from "./register.ts";

const deno = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
const runner = fileURLToPath(new URL("./deno-runner.ts", import.meta.url));
const { stdout } = await promisify(execFile)(deno, ["run", "--quiet", "--allow-read", runner], { maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } });
registerResults("deno", JSON.parse(stdout));
