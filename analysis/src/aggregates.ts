/**
 * What the results queries hand to the analysis: per-variant sums of per-subject values, and the
 * names both sides share (the ratio metrics and their per-subject columns, the latency
 * quantiles). No SQLite types, so the analysis (and the CLI that prints it) needs none.
 *
 * @module
 */

import type { RatioSummary } from "./stats/index.ts";

/**
 * Sums over subjects of per-subject numerators X and denominators Y (a ratio metric ΣX/ΣY):
 * exactly what the statistics take, with n the subjects whose Y > 0.
 */
export type RatioSums = RatioSummary;

/** The metrics kept as ratios: [aggregate name, numerator column, denominator column] of the per-subject table. */
export const RATIOS = [
  ["thumbsUp", "ups", "thumbs"],
  ["success", "successes", "outcomes"],
  ["errors", "errs", "calls"],
  ["latency", "lat", "lat_n"],
  ["ttft", "ttft", "ttft_n"],
  ["inputTokens", "in_tok", "in_n"],
  ["outputTokens", "out_tok", "out_n"],
  ["cost", "cost", "cost_n"],
  ["fallbacks", "fallbacks", "calls"],
  ["truncations", "truncations", "calls"],
  ["cachedInputTokens", "cached_tok", "cached_n"],
  ["reasoningTokens", "reasoning_tok", "reasoning_n"],
] as const;

/** The latency quantiles the results show (p50, p95). */
export const LATENCY_QUANTILES = [0.5, 0.95] as const;

/** The per-call measures the results give quantiles of: name in the rows → its column. */
export const QUANTILE_MEASURES = { latency: "latency_ms", ttft: "ttft_ms" } as const;

/** p50 and p95 of a per-call measure (null without calls). */
export interface Quantiles {
  p50: number | null;
  p95: number | null;
}

/** One variant's aggregates. */
export interface VariantAggregates {
  variant: string;
  subjects: number;
  feedbackSubjects: number;
  thumbsUp: RatioSums;
  success: RatioSums;
  errors: RatioSums;
  latency: RatioSums;
  ttft: RatioSums;
  inputTokens: RatioSums;
  outputTokens: RatioSums;
  cost: RatioSums;
  /** Calls a fallback answered, per call (the call counts in its assigned arm). */
  fallbacks: RatioSums;
  /** Calls whose stream the upstream cut, per call. */
  truncations: RatioSums;
  cachedInputTokens: RatioSums;
  reasoningTokens: RatioSums;
  /** Per-subject cost (zeros included): Σ and Σ² over every exposed subject. */
  costPerSubject: { sum: number; sumSquares: number };
  latencyQuantiles: Quantiles;
  /** Time to first token over calls. */
  ttftQuantiles: Quantiles;
  costPerDay: number | null;
  firstExposure: number | null;
  lastExposure: number | null;
  custom: Record<string, { subjects: number; events: number; sum: number; sumSquares: number }>;
}
