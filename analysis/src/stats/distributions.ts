/**
 * The distributions the tests need: standard normal, Student's t and chi-square. Tails are
 * computed directly (never as `1 - cdf`), so p-values such as 1e-12 keep their digits.
 *
 * @module
 */
import { incompleteBeta, incompleteGamma, logBeta } from "./special.ts";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Density of the standard normal.
 *
 * @example
 * normalPdf(0) // ≈ 0.3989422804014327
 */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * P(Z ≤ x) for a standard normal Z, through Φ(x) = ½ ± ½·P(½, x²/2): one incomplete-gamma
 * routine serves the normal and the chi-square, so both share one tested core.
 *
 * @example
 * normalCdf(1.959963984540054) // ≈ 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return 0.5;
  const { lower, upper } = incompleteGamma(0.5, 0.5 * x * x);
  return x < 0 ? 0.5 * upper : 0.5 + 0.5 * lower;
}

/**
 * P(Z > x), exact in the upper tail (normalSf(10) ≈ 7.6e-24, not 0).
 *
 * @example
 * 2 * normalSf(1.96) // ≈ 0.04999579 (two-sided p of z = 1.96)
 */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/**
 * The standard normal quantile Φ⁻¹(p): a rational first guess (Abramowitz & Stegun 26.2.23,
 * error < 4.5e-4) polished by Halley steps on the exact cdf, so its accuracy is the cdf's.
 * Returns ±Infinity at p = 1 and p = 0.
 *
 * @example
 * normalQuantile(0.975) // ≈ 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  for (let i = 0; i < 4; i++) {
    // Halley on Φ(x) − p; u is the Newton step, the denominator its second-order correction.
    const u = (normalCdf(x) - p) * SQRT_2PI * Math.exp(0.5 * x * x);
    const step = u / (1 + 0.5 * x * u);
    if (!Number.isFinite(step)) break; // p below ~1e-300: keep the first guess's digits
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}

function checkDf(df: number, name: string): void {
  if (!(df > 0)) throw new RangeError(`${name} needs df > 0, got ${df}`);
}

/**
 * Density of Student's t with `df` degrees of freedom (df = Infinity is the normal).
 *
 * @example
 * studentTPdf(0, 1) // ≈ 1/π
 */
export function studentTPdf(t: number, df: number): number {
  checkDf(df, "studentTPdf");
  if (df === Infinity) return normalPdf(t);
  return Math.exp(-0.5 * (df + 1) * Math.log1p((t * t) / df) - logBeta(0.5 * df, 0.5)) / Math.sqrt(df);
}

/** Above this df the incomplete beta's continued fraction loses digits (its terms cancel near x = 1). */
const HILL_MIN_DF = 1e5;

/**
 * Upper tail for t > 0 and df ≥ 1e5 by Hill's normalizing transformation (CACM Algorithm 395,
 * 1970): z = √y · (1 + (y + 3 + …)/(48a²)) with a = ν − ½, y = a·ln(1 + t²/ν), then P(Z > z).
 * Its error falls like 1/ν³: about 1e-14 already at ν = 1000 (checked against the fraction).
 */
function hillTail(t: number, df: number): number {
  const a = df - 0.5;
  const b = 48 * a * a;
  const y = a * Math.log1p((t * t) / df);
  const z = (((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1) * Math.sqrt(y);
  return normalSf(z);
}

/**
 * P(T > t) for Student's t, from I_x(ν/2, ½) with x = ν/(ν + t²) and 1 − x passed exactly;
 * above 1e5 degrees of freedom (Welch's df of a large experiment) by Hill's transformation.
 *
 * @example
 * 2 * studentTSf(2.228138851986274, 10) // ≈ 0.05
 */
export function studentTSf(t: number, df: number): number {
  checkDf(df, "studentTSf");
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity) return normalSf(t);
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return t > 0 ? 0 : 1;
  if (df >= HILL_MIN_DF) return t > 0 ? hillTail(t, df) : 1 - hillTail(-t, df);
  const t2 = t * t;
  const { lower } = incompleteBeta(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
  return t > 0 ? 0.5 * lower : 1 - 0.5 * lower;
}

/**
 * P(T ≤ t) for Student's t with `df` degrees of freedom (any df > 0, fractional included, as
 * Welch's test needs).
 *
 * @example
 * studentTCdf(1, 1) // = 0.75 (Cauchy)
 */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/**
 * The quantile of Student's t: closed forms for df 1 and 2, else safeguarded Newton on the
 * exact tail from a Cornish–Fisher start (bisection whenever a step leaves the bracket).
 *
 * @example
 * studentTQuantile(0.975, 10) // ≈ 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df, "studentTQuantile");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`studentTQuantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  if (df === 1) return -1 / Math.tan(Math.PI * p); // = tan(π(p − ½)), without cancelling near p = 0
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  return -upperTailQuantile(p, df);
}

/** The t > 0 with P(T > t) = q, for 0 < q < ½. */
function upperTailQuantile(q: number, df: number): number {
  const z = -normalQuantile(q);
  const z2 = z * z;
  let t = z + (z * (z2 + 1)) / (4 * df) + (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df);
  let lo = 0;
  let hi = Infinity;
  for (let i = 0; i < 200; i++) {
    const excess = studentTSf(t, df) - q;
    if (excess > 0) lo = t;
    else hi = t;
    if (excess === 0) return t;
    let next = t + excess / studentTPdf(t, df);
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * Math.max(t, 1) : 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * t) return next;
    t = next;
  }
  return t;
}

/**
 * P(X² > x) for a chi-square with `df` degrees of freedom: the regularized upper incomplete
 * gamma Q(df/2, x/2), accurate far into the tail (SRM p-values of 1e-12 and below).
 *
 * @example
 * chiSquareSurvival(3.841458820694124, 1) // ≈ 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  checkDf(df, "chiSquareSurvival");
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return incompleteGamma(0.5 * df, 0.5 * x).upper;
}
