/**
 * What the results queries hand to the analysis: per-variant sums of per-subject values. Types
 * only, so the analysis (and the CLI that prints it) needs no D1 types.
 *
 * @module
 */

/** Sums over subjects of per-subject numerators X and denominators Y (a ratio metric ΣX/ΣY). */
export interface RatioSums {
  /** Subjects with Y > 0. */
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
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
  /** Per-subject cost (zeros included): Σ and Σ² over every exposed subject. */
  costPerSubject: { sum: number; sumSquares: number };
  latencyQuantiles: { p50: number | null; p95: number | null };
  costPerDay: number | null;
  firstExposure: number | null;
  lastExposure: number | null;
  custom: Record<string, { subjects: number; events: number; sum: number; sumSquares: number }>;
}
