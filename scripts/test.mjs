// `npm test`: every runner (Node, workerd, Deno, Chromium, the CLI, the type check) in one vitest
// run with two reporters: the console, and JSON in .test-results/ that test-summary.mjs reads.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

rmSync(".test-results", { recursive: true, force: true });
// The Worker serves the built SDK and example page, and the package checks read sdk-js/dist.
const built = spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);
const vitest = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", "--outputFile.json=.test-results/vitest.json", ...process.argv.slice(2)],
  { stdio: "inherit", shell: false },
);
const summary = spawnSync(process.execPath, ["scripts/test-summary.mjs"], { stdio: "inherit" });
process.exit(vitest.status !== 0 ? vitest.status || 1 : summary.status ?? 1);
