/**
 * The metrics of an LLM experiment, each defined once: how to read it from a variant's
 * aggregates, which test compares it, and which direction is better. Rates of subjects are
 * proportions (two-proportion z); per-call figures are ratios of per-subject sums (delta method);
 * per-subject amounts are means (Welch's t).
 *
 * @module
 */
import type { MeanSummary, ProportionSummary, RatioSummary } from "./stats/index.ts";
import type { RatioSums, VariantAggregates } from "./aggregates.ts";

/** One metric's definition. */
export type MetricDef =
  | { key: string; label: string; kind: "proportion"; higherIsBetter: boolean; read: (v: VariantAggregates) => ProportionSummary }
  | { key: string; label: string; kind: "ratio"; higherIsBetter: boolean; read: (v: VariantAggregates) => RatioSummary }
  | { key: string; label: string; kind: "mean"; higherIsBetter: boolean; read: (v: VariantAggregates) => MeanSummary };

const ratio = (key: string, label: string, higherIsBetter: boolean, pick: (v: VariantAggregates) => RatioSums): MetricDef => ({ key, label, kind: "ratio", higherIsBetter, read: pick });

/** The built-in metrics, in the order they are shown. */
export const BUILT_IN_METRICS: readonly MetricDef[] = [
  ratio("thumbs_up_rate", "👍 share of thumbs", true, (v) => v.thumbsUp),
  { key: "feedback_rate", label: "subjects who gave feedback", kind: "proportion", higherIsBetter: true, read: (v) => ({ n: v.subjects, successes: v.feedbackSubjects }) },
  ratio("success_rate", "successes per outcome", true, (v) => v.success),
  ratio("error_rate", "errors per call", false, (v) => v.errors),
  ratio("latency_ms", "latency per call (ms)", false, (v) => v.latency),
  ratio("ttft_ms", "time to first token (ms)", false, (v) => v.ttft),
  ratio("input_tokens", "input tokens per call", false, (v) => v.inputTokens),
  ratio("output_tokens", "output tokens per call", false, (v) => v.outputTokens),
  ratio("cost_per_call", "cost per call", false, (v) => v.cost),
  ratio("fallback_rate", "fallbacks per call", false, (v) => v.fallbacks),
  ratio("truncation_rate", "cut streams per call", false, (v) => v.truncations),
  ratio("cached_input_tokens", "cached input tokens per call", true, (v) => v.cachedInputTokens),
  ratio("reasoning_tokens", "reasoning tokens per call", false, (v) => v.reasoningTokens),
  // Only once costs are recorded: without any, every subject's 0 would look like a free variant.
  { key: "cost_per_subject", label: "cost per subject", kind: "mean", higherIsBetter: false, read: (v) => ({ n: v.cost.sumY > 0 ? v.subjects : 0, sum: v.costPerSubject.sum, sumSquares: v.costPerSubject.sumSquares }) },
];

/**
 * The metrics of each custom event name: the share of subjects who sent it, and its value per
 * subject (a subject who never sent it counts as 0).
 *
 * @example
 * customMetrics(["copied"]).map((m) => m.key) // ["custom:copied:rate", "custom:copied:value"]
 */
export function customMetrics(names: readonly string[]): MetricDef[] {
  return names.flatMap((name): MetricDef[] => [
    { key: `custom:${name}:rate`, label: `subjects who sent "${name}"`, kind: "proportion", higherIsBetter: true, read: (v) => ({ n: v.subjects, successes: v.custom[name]?.subjects ?? 0 }) },
    { key: `custom:${name}:value`, label: `"${name}" value per subject`, kind: "mean", higherIsBetter: true, read: (v) => ({ n: v.subjects, sum: v.custom[name]?.sum ?? 0, sumSquares: v.custom[name]?.sumSquares ?? 0 }) },
  ]);
}

/**
 * A metric's point value for a variant and the subjects it rests on (null when it has no data).
 *
 * @example
 * metricValue(def, variant) // { value: 0.62, subjects: 180 }
 */
export function metricValue(def: MetricDef, v: VariantAggregates): { value: number | null; subjects: number } {
  switch (def.kind) {
    case "proportion": {
      const s = def.read(v);
      return { value: s.n > 0 ? s.successes / s.n : null, subjects: s.n };
    }
    case "ratio": {
      const s = def.read(v);
      return { value: s.sumY > 0 ? s.sumX / s.sumY : null, subjects: s.n };
    }
    case "mean": {
      const s = def.read(v);
      return { value: s.n > 0 ? s.sum / s.n : null, subjects: s.n };
    }
  }
}
