// Prints the one plain line CI reads, "N passed, N failed", summed over every JSON report in
// .test-results/, and exits non-zero when anything failed or nothing ran.
import { readdirSync, readFileSync, existsSync } from "node:fs";

const dir = ".test-results";
const reports = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
let passed = 0;
let failed = 0;
for (const file of reports) {
  const r = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  // A test file that failed to load reports no tests: count each such suite as a failure.
  for (const suite of r.testResults ?? []) if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
