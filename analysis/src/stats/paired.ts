/**
 * Paired tests for offline experiments: the same records scored under a control and a variant.
 * Each function takes the per-record differences (variant − control) or the discordant counts
 * and reproduces a scipy routine, named in its TSDoc, to 1e-6 (analysis/test/stats/paired.test.ts).
 *
 * @module
 */
import { normalSf, studentTQuantile, studentTSf } from "./distributions.ts";
import { incompleteBeta } from "./special.ts";
import type { Interval } from "./types.ts";

/** A test's statistic, its two-sided p-value and how the p-value was obtained. */
export interface PairedTest {
  statistic: number;
  pValue: number;
  method: "exact" | "approx" | "chi-square";
  /** Pairs that entered the test (Wilcoxon and the sign test drop zero differences). */
  n: number;
}

/** Binomial P(X ≤ k) for X ~ Bin(n, 1/2): exact sums of binomial coefficients up to n = 50 (all below 2^53), I_{1/2}(n − k, k + 1) beyond. */
function binomialHalfCdf(k: number, n: number): number {
  if (k >= n) return 1;
  if (k < 0) return 0;
  if (n <= 50) {
    let coefficient = 1;
    let sum = 1;
    for (let i = 1; i <= k; i++) {
      coefficient = (coefficient * (n - i + 1)) / i;
      sum += coefficient;
    }
    return sum / 2 ** n;
  }
  return incompleteBeta(n - k, k + 1, 0.5, 0.5).lower;
}

/**
 * Two-sided exact binomial test of k successes in n at p = 1/2: `scipy.stats.binomtest(k, n).pvalue`.
 * At p = 1/2 the distribution is symmetric, so the "as likely or less" rule is twice the smaller tail.
 *
 * @example
 * binomialTestHalf(2, 10) // 0.109375
 */
export function binomialTestHalf(k: number, n: number): number {
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(Math.min(k, n - k), n));
}

/** Discordant pairs below which McNemar's test is exact (binomial) rather than chi-square. */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test for paired pass/fail: `b` records pass only under the control, `c` only under
 * the variant. With b + c < 25 it is exact (statsmodels' `mcnemar(exact=True)`: binomtest of
 * min(b, c) in b + c); otherwise chi-square with continuity correction, (|b − c| − 1)² / (b + c)
 * on 1 df (statsmodels' `exact=False, correction=True`, floored at 0 so that b = c gives p = 1).
 *
 * @example
 * mcnemar(3, 9) // { statistic: 3, pValue: 0.146, method: "exact", n: 12 }
 */
export function mcnemar(b: number, c: number): PairedTest {
  const n = b + c;
  if (n < MCNEMAR_EXACT_BELOW) return { statistic: Math.min(b, c), pValue: binomialTestHalf(Math.min(b, c), n), method: "exact", n };
  const statistic = Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.sqrt(statistic))), method: "chi-square", n };
}

/**
 * The sign test: positive differences among the non-zero ones, `scipy.stats.binomtest(k, n)`.
 *
 * @example
 * signTest([0.5, 1, -0.2, 0, 2]) // { statistic: 3, pValue: 0.625, method: "exact", n: 4 }
 */
export function signTest(differences: readonly number[]): PairedTest {
  const n = differences.filter((d) => d !== 0).length;
  const k = differences.filter((d) => d > 0).length;
  return { statistic: k, pValue: binomialTestHalf(k, n), method: "exact", n };
}

/** Average ranks of |d| (ties share the mean rank) and the sizes of the tie groups. */
function absoluteRanks(d: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = d.map((_, i) => i).sort((a, b) => Math.abs(d[a]!) - Math.abs(d[b]!));
  const ranks = new Array<number>(d.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && Math.abs(d[order[j + 1]!]!) === Math.abs(d[order[i]!]!)) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/** The exact null distribution of W+ for n untied ranks: counts of subsets of {1..n} by sum, as probabilities. */
function signedRankPmf(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  const counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (let r = 1; r <= n; r++) for (let s = max; s >= r; s--) counts[s]! += counts[s - r]!;
  const total = 2 ** n;
  return counts.map((c) => c / total);
}

/** Largest number of non-zero pairs for which the Wilcoxon p-value is exact. */
export const WILCOXON_EXACT_MAX = 50;

/**
 * Wilcoxon's signed-rank test, `scipy.stats.wilcoxon(d, method=…)` with its defaults otherwise
 * (zero_method "wilcox": zero differences are dropped; no continuity correction; two-sided;
 * statistic min(W+, W−)). The method: exact when at most 50 non-zero pairs remain and no |d| is
 * tied (the exact distribution assumes untied ranks); otherwise the normal approximation with
 * scipy's tie correction of the variance. No non-zero pair: statistic 0, p = 1.
 *
 * @example
 * wilcoxonSignedRank([1.5, -0.5, 2, 3, -1, 4]) // { statistic: 3, pValue: 0.15625, method: "exact", n: 6 }
 */
export function wilcoxonSignedRank(differences: readonly number[]): PairedTest {
  const d = differences.filter((x) => x !== 0);
  const n = d.length;
  if (n === 0) return { statistic: 0, pValue: 1, method: "exact", n: 0 };
  const { ranks, ties } = absoluteRanks(d);
  let plus = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) plus += ranks[i]!;
  const minus = (n * (n + 1)) / 2 - plus;
  const statistic = Math.min(plus, minus);
  if (n <= WILCOXON_EXACT_MAX && ties.length === 0) {
    const pmf = signedRankPmf(n);
    if (plus === (pmf.length - 1) / 2) return { statistic, pValue: 1, method: "exact", n };
    let less = 0;
    let greater = 0;
    pmf.forEach((p, s) => {
      if (s <= plus) less += p;
      if (s >= plus) greater += p;
    });
    return { statistic, pValue: Math.min(1, 2 * Math.min(less, greater)), method: "exact", n };
  }
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1) - 0.5 * ties.reduce((s, t) => s + t * (t * t - 1), 0)) / 24;
  const z = variance > 0 ? (statistic - mean) / Math.sqrt(variance) : 0;
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(z))), method: "approx", n };
}

/** A paired t test and the interval of the mean difference. */
export interface PairedT {
  n: number;
  mean: number;
  /** Sample standard deviation of the differences (ddof 1). */
  sd: number;
  statistic: number;
  df: number;
  pValue: number;
  interval: Interval;
}

/**
 * The paired t test, `scipy.stats.ttest_rel(variant, control)`, i.e. a one-sample t on the
 * differences, with the two-sided `confidence` interval of their mean (mean ± t·sd/√n). Fewer
 * than two pairs: a point interval and p = 1. All differences equal: ±Infinity and p = 0 as scipy,
 * or statistic 0 and p = 1 when they are all 0 (where scipy gives NaN).
 *
 * @example
 * pairedT([1, 2, 3, 4]) // { mean: 2.5, statistic: 3.873, df: 3, pValue: 0.0305, … }
 */
export function pairedT(differences: readonly number[], confidence = 0.95): PairedT {
  const n = differences.length;
  const mean = n === 0 ? 0 : differences.reduce((s, d) => s + d, 0) / n;
  const df = n - 1;
  if (n < 2) return { n, mean, sd: 0, statistic: 0, df: Math.max(df, 0), pValue: 1, interval: { estimate: mean, lower: mean, upper: mean } };
  const sd = Math.sqrt(differences.reduce((s, d) => s + (d - mean) ** 2, 0) / df);
  const se = sd / Math.sqrt(n);
  if (se === 0) {
    const statistic = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
    return { n, mean, sd, statistic, df, pValue: mean === 0 ? 1 : 0, interval: { estimate: mean, lower: mean, upper: mean } };
  }
  const statistic = mean / se;
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return { n, mean, sd, statistic, df, pValue: Math.min(1, 2 * studentTSf(Math.abs(statistic), df)), interval: { estimate: mean, lower: mean - half, upper: mean + half } };
}
