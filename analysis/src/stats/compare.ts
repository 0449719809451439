/**
 * Treatment against control for the three kinds of metric: means of per-subject values (Welch's
 * t-test), proportions (two-proportion z-test) and ratios ΣX/ΣY (delta-method z-test). Each takes
 * sufficient statistics, so the route can aggregate in SQL and never load a subject's rows.
 *
 * @module
 */
import { normalQuantile, normalSf, studentTQuantile, studentTSf } from "./distributions.ts";
import { buildComparison, resolveOptions, type ArmEstimate } from "./comparison.ts";
import type { CompareOptions, Comparison, ComparisonWarning, MeanSummary, ProportionSummary, RatioSummary } from "./types.ts";

function check(condition: boolean, what: string): void {
  if (!condition) throw new RangeError(`invalid summary: ${what}`);
}

/** Checks only the named fields: a SQL row may carry others (the variant's name) along. */
function checkFinite<S extends { n: number }>(summary: S, keys: readonly (keyof S & string)[], name: string): void {
  for (const key of keys) check(Number.isFinite(summary[key]), `${name}.${key} = ${String(summary[key])}`);
  check(summary.n >= 0, `${name}.n < 0`);
}

const MEAN_KEYS = ["n", "sum", "sumSquares"] as const;
const PROPORTION_KEYS = ["n", "successes"] as const;
const RATIO_KEYS = ["n", "sumX", "sumY", "sumXX", "sumYY", "sumXY"] as const;

/** Sample variance from sums, clamped at 0 (rounding can push a constant sample below it). */
const sampleVariance = (n: number, sum: number, sumSquares: number): number =>
  Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));

/** z or t statistic for a difference and its variance; ±Infinity when the variance is 0. */
function standardize(difference: number, variance: number): number {
  if (variance > 0) return difference / Math.sqrt(variance);
  return difference === 0 ? 0 : difference > 0 ? Infinity : -Infinity;
}

/** Cohen's d with the pooled SD; 0 for identical constant arms, null when the SD is 0 otherwise. */
function cohensD(difference: number, nC: number, varC: number, nT: number, varT: number): number | null {
  if (nC < 2 || nT < 2) return null;
  const pooled = Math.sqrt(((nC - 1) * varC + (nT - 1) * varT) / (nC + nT - 2));
  if (pooled > 0) return difference / pooled;
  return difference === 0 ? 0 : null;
}

/** Welch–Satterthwaite df; n_c + n_t − 2 in the degenerate case where both variances are 0. */
function welchDf(a: number, nC: number, b: number, nT: number): number {
  if (a + b === 0) return nC + nT - 2;
  return (a + b) ** 2 / ((a * a) / (nC - 1) + (b * b) / (nT - 1));
}

const UNKNOWN = Infinity;

/**
 * Welch's unequal-variance t-test on per-subject values (e.g. tokens per subject). The interval
 * and the delta-method relative interval use the t quantile at the Welch df.
 *
 * Edge cases: an arm with fewer than 2 subjects has no variance: p = 1, statistic 0, df null,
 * unbounded intervals, warning `too-few-subjects` (an empty arm's mean is reported as 0). If
 * every subject is equal within each arm (`zero-variance`), identical arms give p = 1 and
 * different arms statistic ±Infinity with p = 0, as scipy does. A control mean of 0 gives
 * relative = null (`control-zero`).
 *
 * @example
 * const c = compareMeans({ n: 500, sum: 61_000, sumSquares: 8_100_000 }, { n: 510, sum: 60_100, sumSquares: 7_700_000 });
 * if (c.pValue < 0.05) console.log(`tokens per subject ${(c.relative!.estimate * 100).toFixed(1)}%`);
 */
export function compareMeans(control: MeanSummary, treatment: MeanSummary, options?: CompareOptions): Comparison {
  const resolved = resolveOptions(options);
  checkFinite(control, MEAN_KEYS, "control");
  checkFinite(treatment, MEAN_KEYS, "treatment");
  const mean = (s: MeanSummary) => (s.n > 0 ? s.sum / s.n : 0);
  const subjects = control.n + treatment.n;
  if (control.n < 2 || treatment.n < 2) {
    const arm = (s: MeanSummary): ArmEstimate => ({ value: mean(s), variance: UNKNOWN });
    const critical = normalQuantile(1 - resolved.alpha / 2); // multiplies an infinite SE: any value will do
    const parts = { test: "welch-t" as const, statistic: 0, df: null, pValue: 1, critical, cohensD: null, subjects };
    return buildComparison(arm(control), arm(treatment), { ...parts, warnings: ["too-few-subjects"] }, resolved);
  }
  const varC = sampleVariance(control.n, control.sum, control.sumSquares);
  const varT = sampleVariance(treatment.n, treatment.sum, treatment.sumSquares);
  const c: ArmEstimate = { value: mean(control), variance: varC / control.n };
  const t: ArmEstimate = { value: mean(treatment), variance: varT / treatment.n };
  const difference = t.value - c.value;
  const variance = c.variance + t.variance;
  const df = welchDf(c.variance, control.n, t.variance, treatment.n);
  const statistic = standardize(difference, variance);
  const parts = {
    test: "welch-t" as const,
    statistic,
    df,
    pValue: Math.min(1, 2 * studentTSf(Math.abs(statistic), df)),
    critical: studentTQuantile(1 - resolved.alpha / 2, df),
    cohensD: cohensD(difference, control.n, varC, treatment.n, varT),
    subjects,
    warnings: variance === 0 ? (["zero-variance"] as ComparisonWarning[]) : [],
  };
  return buildComparison(c, t, parts, resolved);
}

/**
 * Two-proportion z-test: the p-value from the pooled standard error (the test of equal rates, the
 * same as a 2×2 chi-square without continuity correction); intervals, mSPRT and Bayes from the
 * unpooled one (the estimate's own variance, as the interval should not assume the null).
 *
 * Edge cases: an empty arm gives p = 1 and unbounded intervals (`too-few-subjects`); all
 * subjects with the same outcome in both arms give p = 1. Cohen's d treats the outcomes as 0/1
 * values (sample variances with n − 1), and is null below 2 subjects per arm.
 *
 * @example
 * const c = compareProportions({ n: 1000, successes: 300 }, { n: 1000, successes: 345 });
 * c.pValue // ≈ 0.031
 */
export function compareProportions(control: ProportionSummary, treatment: ProportionSummary, options?: CompareOptions): Comparison {
  const resolved = resolveOptions(options);
  for (const [s, name] of [[control, "control"], [treatment, "treatment"]] as const) {
    checkFinite(s, PROPORTION_KEYS, name);
    check(s.successes >= 0 && s.successes <= s.n, `${name}.successes outside [0, n]`);
  }
  const rate = (s: ProportionSummary) => (s.n > 0 ? s.successes / s.n : 0);
  const subjects = control.n + treatment.n;
  const critical = normalQuantile(1 - resolved.alpha / 2);
  if (control.n < 1 || treatment.n < 1) {
    const arm = (s: ProportionSummary): ArmEstimate => ({ value: rate(s), variance: UNKNOWN });
    const parts = { test: "two-proportion-z" as const, statistic: 0, df: null, pValue: 1, critical, cohensD: null, subjects };
    return buildComparison(arm(control), arm(treatment), { ...parts, warnings: ["too-few-subjects"] }, resolved);
  }
  const arm = (s: ProportionSummary): ArmEstimate => ({ value: rate(s), variance: (rate(s) * (1 - rate(s))) / s.n });
  const c = arm(control);
  const t = arm(treatment);
  const difference = t.value - c.value;
  const pooled = (control.successes + treatment.successes) / subjects;
  const statistic = standardize(difference, pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const binaryVariance = (s: ProportionSummary) => (s.n < 2 ? 0 : (s.n * rate(s) * (1 - rate(s))) / (s.n - 1));
  const parts = {
    test: "two-proportion-z" as const,
    statistic,
    df: null,
    pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))),
    critical,
    cohensD: cohensD(difference, control.n, binaryVariance(control), treatment.n, binaryVariance(treatment)),
    subjects,
    warnings: c.variance + t.variance === 0 ? (["zero-variance"] as ComparisonWarning[]) : [],
  };
  return buildComparison(c, t, parts, resolved);
}

/**
 * Ratio metric ΣX/ΣY per arm with the delta-method variance of a ratio of means,
 * Var(R̂) = (s²_X − 2R·s_XY + R²·s²_Y) / (n·Ȳ²), from per-subject sample (co)variances, then a
 * z-test on the difference. Correct when a subject contributes many correlated calls, where
 * treating calls as independent would understate the variance.
 *
 * Edge cases: fewer than 2 subjects, or ΣY = 0 in an arm (`denominator-zero`, ratio reported
 * as 0), leave the variance unknown: p = 1 and unbounded intervals. cohensD is always null.
 *
 * @example
 * const c = compareRatios(
 *   { n: 400, sumX: 480_000, sumY: 1_200, sumXX: 700_000_000, sumYY: 4_000, sumXY: 1_600_000 },
 *   { n: 410, sumX: 450_000, sumY: 1_230, sumXX: 600_000_000, sumYY: 4_100, sumXY: 1_500_000 },
 *   { higherIsBetter: false },
 * ); // latency per call
 */
export function compareRatios(control: RatioSummary, treatment: RatioSummary, options?: CompareOptions): Comparison {
  const resolved = resolveOptions(options);
  checkFinite(control, RATIO_KEYS, "control");
  checkFinite(treatment, RATIO_KEYS, "treatment");
  const warnings: ComparisonWarning[] = [];
  const arm = (s: RatioSummary): ArmEstimate => {
    if (s.sumY === 0) {
      if (s.n > 0) warnings.push("denominator-zero");
      return { value: 0, variance: UNKNOWN };
    }
    const ratio = s.sumX / s.sumY;
    if (s.n < 2) return { value: ratio, variance: UNKNOWN };
    const meanY = s.sumY / s.n;
    const varX = (s.sumXX - (s.sumX * s.sumX) / s.n) / (s.n - 1);
    const varY = (s.sumYY - (s.sumY * s.sumY) / s.n) / (s.n - 1);
    const covXY = (s.sumXY - (s.sumX * s.sumY) / s.n) / (s.n - 1);
    return { value: ratio, variance: Math.max(0, (varX - 2 * ratio * covXY + ratio * ratio * varY) / (s.n * meanY * meanY)) };
  };
  const c = arm(control);
  const t = arm(treatment);
  if (control.n < 2 || treatment.n < 2) warnings.push("too-few-subjects");
  const difference = t.value - c.value;
  const variance = c.variance + t.variance;
  if (variance === 0) warnings.push("zero-variance");
  const statistic = variance === UNKNOWN ? 0 : standardize(difference, variance);
  const parts = {
    test: "delta-z" as const,
    statistic,
    df: null,
    pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))),
    critical: normalQuantile(1 - resolved.alpha / 2),
    cohensD: null,
    subjects: control.n + treatment.n,
    warnings,
  };
  return buildComparison(c, t, parts, resolved);
}
