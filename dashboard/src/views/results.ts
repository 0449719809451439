/**
 * An experiment's results: the SRM banner, "not enough data" with what it waits for, each
 * variant's metrics (thumbs and outcomes beside the LLM calls: TTFT p50/p95, tokens, cost per
 * call and per day, fallback and truncation rates), every comparison with the control as an
 * interval bar against zero with its p-values (raw and Holm) and chance to beat the control, and
 * for a sequential experiment the cumulative lift over time with its always-valid interval.
 *
 * @module
 */
import { api } from "../api.ts";
import { demoBanner, envs, type Ctx } from "../app.ts";
import { h, num, table } from "../dom.ts";
import { differenceOf, fmt, formatOf, pct, pValue, signedPct, usd, when } from "../format.ts";
import { intervalBar, span, type Verdict } from "../charts.ts";
import type { Analysis, LookHistory, MetricComparison } from "../types.ts";
import { liftSection } from "./lift.ts";
import { offlineSection, type OfflineRun } from "./offline.ts";

/** The results body: the analysis and where it came from. */
export type Results = Analysis & { env: string; flag: string; allocation: string | null; control: string; configVersion: number | null; configs: { version: number; exposures: number }[]; computedAt: string };

const OUTCOMES = ["thumbs_up_rate", "feedback_rate", "success_rate", "error_rate"];
const CALLS = ["latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens", "cost_per_call", "fallback_rate", "truncation_rate"];

function verdict(c: MetricComparison): Verdict {
  if (!c.significant) return "unclear";
  return c.absolute.estimate > 0 === c.higherIsBetter ? "better" : "worse";
}

function waiting(r: Results): HTMLElement | null {
  if (r.status === "no_data") return h("p", { class: "wait", "data-status": "no_data" }, "No data yet: nobody was exposed to this experiment.");
  if (r.status !== "not_enough_data" || !r.waitingFor) return null;
  const have = Object.entries(r.waitingFor.variants).map(([v, n]) => `${v} has ${n}`).join(", ");
  return h("p", { class: "wait", "data-status": "not_enough_data" }, h("strong", null, "Not enough data: "), `waiting for ${r.waitingFor.minSubjectsPerVariant} subjects in every variant (${have}).`);
}

function variantTables(r: Results): HTMLElement[] {
  const label = (k: string) => r.metrics.find((m) => m.key === k)?.label ?? k;
  const metricCell = (v: Results["variants"][number], k: string) => h("span", { "data-metric": k }, num(v.metrics[k]?.value, formatOf(k)));
  const name = (v: Results["variants"][number]) => (v.control ? `${v.variant} (control)` : v.variant);
  const custom = r.metrics.filter((m) => m.key.startsWith("custom:")).map((m) => m.key);
  return [
    table("Subjects, thumbs and outcomes", ["variant", "subjects", ...[...OUTCOMES, ...custom].map(label)], r.variants.map((v) => [name(v), num(v.subjects, String), ...[...OUTCOMES, ...custom].map((k) => metricCell(v, k))]), { "data-table": "outcomes" }),
    table(
      "LLM calls",
      ["variant", "latency p50 (ms)", "latency p95 (ms)", "TTFT p50 (ms)", "TTFT p95 (ms)", ...CALLS.map(label), "cost per day"],
      r.variants.map((v) => [name(v), num(v.latency.p50, fmt), num(v.latency.p95, fmt), h("span", { "data-q": "ttft-p50" }, num(v.ttft.p50, fmt)), h("span", { "data-q": "ttft-p95" }, num(v.ttft.p95, fmt)), ...CALLS.map((k) => metricCell(v, k)), h("span", { "data-q": "cost-per-day" }, num(v.costPerDay, usd))]),
      { "data-table": "calls" },
    ),
  ];
}

function comparisonTable(r: Results, metric: string, rows: MetricComparison[]): HTMLElement {
  const f = formatOf(metric);
  const d = differenceOf(metric);
  const range = span(rows.flatMap((c) => [c.absolute.lower, c.absolute.upper, ...(c.sequential ? [c.sequential.absolute.lower, c.sequential.absolute.upper] : [])]));
  const seq = r.settings.sequential;
  return table(
    r.metrics.find((m) => m.key === metric)?.label ?? metric,
    ["variant", "difference", "vs 0", `${Math.round((1 - r.settings.alpha) * 100)}% interval`, "chance to beat control", "p", "p (Holm)", ...(seq ? ["always-valid interval", "always-valid p (Holm)"] : []), "control", "variant value", "relative"],
    rows.map((c) => [
      h("span", { "data-comparison": `${c.variant}:${metric}` }, c.variant),
      h("span", { "data-field": "estimate" }, num(c.absolute.estimate, d)),
      intervalBar(seq && c.sequential ? { lower: c.sequential.absolute.lower, upper: c.sequential.absolute.upper, estimate: c.absolute.estimate } : c.absolute, range, verdict(c)),
      `${d(c.absolute.lower)} to ${d(c.absolute.upper)}`,
      h("span", { "data-field": "beat" }, num(c.bayes.chanceToBeatControl, pct)),
      h("span", { "data-field": "p" }, num(c.pValue, pValue)),
      h("span", { "data-field": "holm" }, num(c.pValueAdjusted, pValue)),
      ...(seq ? [c.sequential ? `${d(c.sequential.absolute.lower)} to ${d(c.sequential.absolute.upper)}` : "—", h("span", { "data-field": "seq-holm" }, num(c.sequential?.pValueAdjusted, pValue))] : []),
      num(c.control, f),
      num(c.treatment, f),
      num(c.relative?.estimate, signedPct),
    ]),
    { "data-table": `compare:${metric}` },
    false,
  );
}

function comparisons(r: Results): HTMLElement | null {
  if (r.comparisons.length === 0) return null;
  const byMetric = new Map<string, MetricComparison[]>();
  for (const c of r.comparisons) byMetric.set(c.metric, [...(byMetric.get(c.metric) ?? []), c]);
  const note = r.settings.sequential
    ? "Sequential: the bars show the always-valid interval, so looking early and often is safe; significance uses the always-valid p-values, Holm-adjusted."
    : "Fixed horizon: read once, at the planned end. Significance uses Holm-adjusted p-values across every comparison.";
  return h("section", null, h("h2", null, `Against the control, ${r.control}`), h("p", { class: "note" }, note), [...byMetric].map(([m, rows]) => comparisonTable(r, m, rows)));
}

/**
 * The view.
 *
 * @example
 * main.replaceChildren(await resultsView(ctx));
 */
export async function resultsView(ctx: Ctx): Promise<HTMLElement> {
  const { env, flag } = ctx.params as { env: string; flag: string };
  const base = `/v1/results/${encodeURIComponent(env)}/${encodeURIComponent(flag)}`;
  const [r, looks, all, offline] = await Promise.all([api<Results>(base), api<LookHistory>(`${base}/looks`), envs(), api<{ runs: OfflineRun[] }>(`${base}/offline?limit=5`)]);
  const srm = r.srm?.mismatch
    ? h("p", { class: "alert", role: "alert", "data-srm": "" }, h("strong", null, "Sample ratio mismatch: "), `the split's subjects are off (χ² ${fmt(r.srm.chiSquare)}, p ${pValue(r.srm.pValue)}); the comparisons below cannot be trusted. Observed: ${Object.entries(r.srm.observed).map(([v, n]) => `${v} ${n}`).join(", ")}.`)
    : null;
  return h(
    "div",
    { "data-results": r.status },
    demoBanner(all.find((x) => x.env === env)),
    h("h1", { tabindex: -1 }, `Results: ${flag} `, h("small", null, `in ${env}`)),
    h("p", null, h("a", { href: `#/env/${encodeURIComponent(env)}/flag/${encodeURIComponent(flag)}` }, `← ${flag}`)),
    h("p", { class: "meta" }, `Allocation ${r.allocation ?? "—"} · control ${r.control} · ${r.settings.sequential ? "sequential" : "fixed horizon"} · α ${r.settings.alpha} · at least ${r.settings.minSubjects} subjects per variant · exposures from versions ${r.configs.map((c) => c.version).join(", ") || "—"} · computed ${when(r.computedAt)}`),
    srm,
    waiting(r),
    variantTables(r),
    comparisons(r),
    r.settings.sequential ? liftSection(r, looks) : null,
    offlineSection(offline.runs, r.settings.alpha),
  );
}
