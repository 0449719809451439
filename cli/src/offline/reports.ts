/**
 * Writes the reports `experiment run` was asked for, by file ending: .md, .html, and JUnit XML.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { UsageError } from "../args.ts";
import { htmlReport } from "./report-html.ts";
import { junitReport } from "./junit.ts";
import { markdownReport } from "./report-md.ts";
import type { OfflineResults } from "./results.ts";

/** Refuses a report whose ending names no format, before anything runs. */
export function checkReportNames(reports: readonly string[]): void {
  for (const file of reports) if (!/\.(md|markdown|html?)$/i.test(file)) throw new UsageError(`--report ${file}: the file must end in .md or .html`);
}

/**
 * Writes each report, by ending.
 *
 * @example
 * await writeReports(results, ["report.md", "report.html"], "junit.xml");
 */
export async function writeReports(results: OfflineResults, reports: readonly string[], junit: string | undefined): Promise<void> {
  checkReportNames(reports);
  for (const file of reports) writeFileSync(file, /\.html?$/i.test(file) ? htmlReport(results) : markdownReport(results));
  if (junit !== undefined) writeFileSync(junit, junitReport(results));
}
