/**
 * Which numbers of the results each guardrail metric is tested on: the per-variant aggregates the
 * results query already computes, read as the guardrail's data. Percentile and budget guardrails
 * need per-call or per-day figures and are read by the watcher with `guardrailSql` (a variant's
 * latency or TTFT histogram) and the daily-cost statement; this says so by answering null for them.
 *
 * @module
 */
import type { RatioSums, VariantAggregates } from "./aggregates.ts";
import type { GuardrailData } from "./guardrails.ts";

/** 👎 per thumb, from the 👍 sums: X' = Y − X, so Σ(X')² = ΣY² − 2ΣXY + ΣX² and ΣX'Y = ΣY² − ΣXY. */
function thumbsDown(s: RatioSums): RatioSums {
  return { n: s.n, sumX: s.sumY - s.sumX, sumY: s.sumY, sumXX: s.sumYY - 2 * s.sumXY + s.sumXX, sumYY: s.sumYY, sumXY: s.sumYY - s.sumXY };
}

const RATIO_METRICS: Record<string, (v: VariantAggregates) => RatioSums> = {
  error_rate: (v) => v.errors,
  fallback_rate: (v) => v.fallbacks,
  truncation_rate: (v) => v.truncations,
  latency_ms: (v) => v.latency,
  ttft_ms: (v) => v.ttft,
  cost_per_call: (v) => v.cost,
  thumbs_down_rate: (v) => thumbsDown(v.thumbsUp),
};

/**
 * The data of guardrail `metric` for control and treatment, or null for the metrics read by SQL
 * (latency_p95, ttft_p95, daily_cost).
 *
 * @example
 * guardrailData("error_rate", control, treatment) // { kind: "ratio", control: control.errors, treatment: treatment.errors }
 */
export function guardrailData(metric: string, control: VariantAggregates, treatment: VariantAggregates): GuardrailData | null {
  const ratio = Object.hasOwn(RATIO_METRICS, metric) ? RATIO_METRICS[metric] : undefined;
  if (ratio) return { kind: "ratio", control: ratio(control), treatment: ratio(treatment) };
  const custom = /^custom:(.+):(rate|value)$/.exec(metric);
  if (custom) {
    const [, name, what] = custom as unknown as [string, string, "rate" | "value"];
    const of = (v: VariantAggregates) => (Object.hasOwn(v.custom, name) ? v.custom[name]! : { subjects: 0, events: 0, sum: 0, sumSquares: 0 });
    if (what === "rate") return { kind: "proportion", control: { n: control.subjects, successes: of(control).subjects }, treatment: { n: treatment.subjects, successes: of(treatment).subjects } };
    return { kind: "mean", control: { n: control.subjects, sum: of(control).sum, sumSquares: of(control).sumSquares }, treatment: { n: treatment.subjects, sum: of(treatment).sum, sumSquares: of(treatment).sumSquares } };
  }
  return null;
}
