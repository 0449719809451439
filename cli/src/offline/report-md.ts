/**
 * The Markdown report of an offline experiment: what ran, each variant's scores, each variant
 * against the control (interval, tests, Holm, win/tie/loss, design numbers), breakdowns, the
 * gate's verdict, and the malformed dataset lines. GitHub renders it as a job summary.
 *
 * @module
 */
import type { OfflineResults } from "./results.ts";
import { bounds, diff, num, pval } from "./format.ts";

const row = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
const tableOf = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

function gateSection(r: OfflineResults): string[] {
  if (!r.gate) return [];
  const verdict = r.gate.pass ? "✅ **Gate passed**: no regression beyond the margins." : "❌ **Gate failed**: a regression beyond the margin is not ruled out.";
  return [
    `## CI gate against \`${r.gate.baseline}\``,
    "",
    verdict,
    "",
    tableOf(["variant", "metric", "run − baseline [95% CI]", "bound", "margin", "records", "verdict"],
      r.gate.checks.map((c) => [c.variant, c.metric, diff(c.difference), num(c.bound), `${c.higherIsBetter ? "−" : "+"}${c.margin}`, c.pairs, c.pass ? "pass" : "FAIL"])),
    "",
  ];
}

/**
 * The report as Markdown.
 *
 * @example
 * writeFileSync("report.md", markdownReport(results));
 */
export function markdownReport(r: OfflineResults): string {
  const level = `${Math.round((1 - r.statistics.alpha) * 100)}%`;
  const lines = [
    `# Offline experiment: \`${r.flag}\``,
    "",
    `${r.variants.length} variants (control \`${r.control}\`) × ${r.dataset.records} records × ${r.runs} run${r.runs === 1 ? "" : "s"} = ${r.cells.length} cells · ${r.cache.hits} from the cache · ${r.cells.filter((c) => c.error).length} failed · config \`${r.config}\`, dataset \`${r.dataset.file}\``,
    "",
    ...gateSection(r),
    "## Scores",
    "",
    "Per record, the mean across runs (the mode for categories); per variant, the mean of the record means (the mode of the record modes). *Between records* is the share of the variance that is the dataset's, the rest is between runs of the same record.",
    "",
    tableOf(["evaluator", ...r.variants.map((v) => (v === r.control ? `${v} (control)` : v)), "between records"],
      r.evaluators.map((e, i) => [e.name, ...r.variants.map((v) => num(r.aggregates[v]![i]!.value)), r.variants.map((v) => num(r.aggregates[v]![i]!.spread?.shareBetweenRecords ?? null)).join(" / ")])),
    "",
  ];
  const summaries = Object.keys(r.summary[r.control] ?? {});
  if (summaries.length) lines.push("## Summary evaluators", "", tableOf(["summary", ...r.variants], summaries.map((s) => [s, ...r.variants.map((v) => num(r.summary[v]![s]!.value))])), "");
  for (const c of r.comparisons) {
    lines.push(`## \`${c.variant}\` against \`${c.control}\``, "", `Paired by record. Difference = ${c.variant} − ${c.control}, ${level} paired t interval and paired bootstrap (${r.statistics.bootstrap.resamples} resamples, seed ${r.statistics.bootstrap.seed}). Test: McNemar for pass/fail, Wilcoxon signed-rank for scores; p adjusted by Holm across evaluators.`, "");
    lines.push(tableOf(["evaluator", "difference [t CI]", "bootstrap CI", "test", "p", "p (Holm)", "sign test p", "win / tie / loss", "MDE", "records needed"],
      c.evaluators.map((e) => [e.evaluator, diff(e.difference), bounds(e.bootstrap), `${e.primary.test} (${e.primary.method})`, pval(e.primary.pValue), pval(e.holmPValue), pval(e.sign.pValue), `${e.wins} / ${e.ties} / ${e.losses}`, num(e.minimumDetectableEffect), num(e.recordsNeeded)])), "");
    for (const e of c.evaluators.filter((x) => x.breakdown)) {
      lines.push(`### ${e.evaluator} by \`${e.breakdown!.field}\``, "", tableOf(["value", "records", "difference [t CI]"], e.breakdown!.groups.map((g) => [g.value, g.pairs, diff(g.difference)])), "");
    }
  }
  if (r.dataset.errors.length) lines.push("## Malformed dataset lines", "", ...r.dataset.errors.map((e) => `- line ${e.line}: ${e.message}`), "");
  return lines.join("\n");
}
