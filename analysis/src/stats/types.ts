/**
 * The shapes going into and coming out of the comparisons. Inputs are sufficient statistics:
 * computed per subject first (one number per subject), then summed per variant in SQL.
 *
 * @module
 */

/**
 * Per-subject values x_i, one number per subject: n, Σx and Σx².
 *
 * @example
 * const tokens: MeanSummary = { n: 3, sum: 600, sumSquares: 130_000 }; // subjects used 100, 200, 300
 */
export interface MeanSummary {
  n: number;
  sum: number;
  sumSquares: number;
}

/**
 * A binary outcome per subject (converted or not, thumbs up or not).
 *
 * @example
 * const thumbsUp: ProportionSummary = { n: 1000, successes: 312 };
 */
export interface ProportionSummary {
  n: number;
  successes: number;
}

/**
 * A ratio metric ΣX/ΣY with numerator X_i and denominator Y_i per subject, e.g. latency per
 * call (X = a subject's total latency, Y = that subject's calls). n counts subjects, not calls:
 * calls of one subject are correlated, which is why the variance comes from the delta method.
 *
 * @example
 * // Two subjects: 400 ms over 1 call, and 500 ms over 2 calls.
 * const latency: RatioSummary = { n: 2, sumX: 900, sumY: 3, sumXX: 410_000, sumYY: 5, sumXY: 1_400 };
 */
export interface RatioSummary {
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
}

/**
 * Options of the comparisons; every field has a default.
 *
 * @example
 * const options: CompareOptions = { alpha: 0.05, sequential: true, higherIsBetter: false };
 */
export interface CompareOptions {
  /** Significance level; the intervals have coverage 1 − alpha. Default 0.05. */
  alpha?: number;
  /** Default true; only flips the Bayesian chance-to-beat and expected loss (e.g. latency, cost). */
  higherIsBetter?: boolean;
  /** Also compute the always-valid mSPRT p-value and confidence sequence. */
  sequential?: boolean;
  /** N*, the total number of subjects where the confidence sequence is tightest. Default 5000. */
  sequentialTuning?: number;
  /** Normal prior on the relative lift; null or absent is a flat prior. */
  prior?: { mean: number; sd: number } | null;
}

/**
 * A point estimate with the bounds of its interval. Bounds are ±Infinity when the data cannot
 * bound the estimate (fewer than two subjects in an arm); `JSON.stringify` writes those as null.
 *
 * @example
 * const lift: Interval = { estimate: 0.04, lower: -0.01, upper: 0.09 };
 */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Why a comparison is less informative than usual; empty when nothing is off.
 * - `too-few-subjects`: an arm has fewer subjects than the variance needs (2; 1 for proportions).
 * - `zero-variance`: the estimate has no sampling variance (every subject equal in both arms).
 * - `control-zero`: the control's metric is 0, so the relative lift is undefined (null).
 * - `denominator-zero`: a ratio's ΣY is 0 in an arm, so its ratio is undefined (reported as 0).
 *
 * @example
 * if (comparison.warnings.includes("too-few-subjects")) showWaiting();
 */
export type ComparisonWarning = "too-few-subjects" | "zero-variance" | "control-zero" | "denominator-zero";

/** The always-valid (mSPRT) result of one look. */
export interface SequentialResult {
  pValue: number;
  absolute: Interval;
}

/**
 * Everything the results page shows for one metric, treatment against control.
 *
 * @example
 * const { relative, pValue, bayes } = compareMeans(control, treatment);
 */
export interface Comparison {
  /** Point estimate of the metric in the control arm. */
  control: number;
  /** Point estimate of the metric in the treatment arm. */
  treatment: number;
  /** treatment − control, with its fixed-horizon interval at 1 − alpha. */
  absolute: Interval;
  /** (treatment − control)/control with a delta-method interval; null when control is 0. */
  relative: Interval | null;
  test: "welch-t" | "two-proportion-z" | "delta-z";
  statistic: number;
  /** Welch–Satterthwaite df of the t-test; null for the z-tests and with too few subjects. */
  df: number | null;
  /** Two-sided fixed-horizon p-value: valid only if you look once, at the planned end. */
  pValue: number;
  /** Standardized mean difference with the pooled SD; null for ratios and when undefined. */
  cohensD: number | null;
  /** Always-valid p-value and confidence sequence; null unless `options.sequential`. */
  sequential: SequentialResult | null;
  /** Normal approximation on the relative lift (absolute difference when control is 0). */
  bayes: {
    chanceToBeatControl: number;
    expectedLoss: number;
    /** Units of expectedLoss: "relative" normally, "absolute" when the control is 0. */
    scale: "relative" | "absolute";
  };
  warnings: ComparisonWarning[];
}
