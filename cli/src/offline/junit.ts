/**
 * JUnit XML for CI systems that show test reports: one test case per gate check (a failure when
 * the check failed), or, without a gate, one per comparison (never failing: evidence, not a gate).
 *
 * @module
 */
import type { OfflineResults } from "./results.ts";
import { diff } from "./format.ts";

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

/**
 * The JUnit document.
 *
 * @example
 * writeFileSync("junit.xml", junitReport(results));
 */
export function junitReport(r: OfflineResults): string {
  const cases = r.gate
    ? r.gate.checks.map((c) => ({ name: `${c.variant} ${c.metric} within ${c.margin} of baseline`, failure: c.pass ? undefined : c.reason, out: `${diff(c.difference)} over ${c.pairs} records` }))
    : r.comparisons.flatMap((c) => c.evaluators.map((e) => ({ name: `${c.variant} vs ${c.control}: ${e.evaluator}`, failure: undefined, out: `${diff(e.difference)} p(Holm)=${e.holmPValue}` })));
  const failures = cases.filter((c) => c.failure).length;
  const body = cases.map((c) => `  <testcase classname="edgeflag.experiment.${xml(r.flag)}" name="${xml(c.name)}">${c.failure ? `<failure message="${xml(c.failure)}"/>` : ""}<system-out>${xml(c.out)}</system-out></testcase>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="edgeflag experiment ${xml(r.flag)}" tests="${cases.length}" failures="${failures}" errors="0">\n${body.join("\n")}\n</testsuite>\n`;
}
