// The shared suite in Node.
import { readFile } from "node:fs/promises";
import { loadVectors } from "./vectors.ts";
import { runSuite } from "./suite.ts";
import { registerResults } from "./register.ts";

const dir = new URL("../../config-schema/vectors/", import.meta.url);
registerResults("node", await runSuite(await loadVectors((f) => readFile(new URL(f, dir), "utf8"))));
