/**
 * What the results queries hand to the analysis: per-variant sums of per-subject values. Types
 * only, so the analysis (and the CLI that prints it) needs no D1 types.
 *
 * @module
 */

import type { RatioSummary } from "../stats/index.ts";

/**
 * Sums over subjects of per-subject numerators X and denominators Y (a ratio metric ΣX/ΣY):
 * exactly what the statistics take, with n the subjects whose Y > 0.
 */
export type RatioSums = RatioSummary;

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
  /** Per-subject cost (zeros included): Σ and Σ² over every exposed subject. */
  costPerSubject: { sum: number; sumSquares: number };
  latencyQuantiles: { p50: number | null; p95: number | null };
  costPerDay: number | null;
  firstExposure: number | null;
  lastExposure: number | null;
  custom: Record<string, { subjects: number; events: number; sum: number; sumSquares: number }>;
}
