// Run by real Deno (deno.test.ts): replays the shared suite and prints the results as JSON.
import { loadVectors } from "./vectors.ts";
import { runSuite } from "./suite.ts";

const dir = new URL("../../config-schema/vectors/", import.meta.url);
console.log(JSON.stringify(await runSuite(await loadVectors((f) => Deno.readTextFile(new URL(f, dir))))));
