/**
 * Special functions under every distribution of this folder: log-gamma, log-beta and the
 * regularized incomplete gamma and beta functions. Plain float64 arithmetic, no dependencies;
 * against scipy they agree to about 1e-13 (the tests assert 1e-6, and 1e-10 for the cdfs).
 *
 * @module
 */

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;
const HALF_LN_2PI = 0.9189385332046728;

/** Lanczos coefficients (g = 7, n = 9): ~1e-15 relative on Γ over the range where we use them. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Stirling's remainder lnΓ(x) − ((x − ½)ln x − x + ½ln 2π) for x ≥ 10. Kept apart so that
 * differences of log-gammas of huge arguments (t with a million degrees of freedom) can cancel
 * the large terms analytically instead of in floating point.
 */
function stirlingRemainder(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r * (1 / 1188 - r * (691 / 360360 - r / 156)))))) / x;
}

/**
 * ln Γ(x) for x > 0 (Lanczos below 10, Stirling with its remainder series above).
 *
 * @example
 * logGamma(0.5) // ≈ 0.5723649429247001 (ln √π)
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + stirlingRemainder(x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return HALF_LN_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b), arranged (as R's `lbeta`) so that a huge argument
 * does not wipe out the digits of the result.
 *
 * @example
 * logBeta(2, 3) // ≈ Math.log(1 / 12)
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) throw new RangeError(`logBeta needs a, b > 0, got ${a}, ${b}`);
  if (p >= 10) {
    const corr = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q);
    return -0.5 * Math.log(q) + HALF_LN_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingRemainder(q) - stirlingRemainder(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/**
 * Regularized incomplete gamma, both tails: P(a, x) and Q(a, x) = 1 − P(a, x), each computed
 * directly (series below a + 1, Lentz continued fraction above) so a tiny tail keeps its digits.
 *
 * @example
 * incompleteGamma(1, 2).upper // ≈ Math.exp(-2)
 */
export function incompleteGamma(a: number, x: number): { lower: number; upper: number } {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`incompleteGamma needs a > 0 and x ≥ 0, got ${a}, ${x}`);
  if (x === 0) return { lower: 0, upper: 1 };
  if (x === Infinity) return { lower: 1, upper: 0 };
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const lower = Math.min(1, sum * Math.exp(logFront));
    return { lower, upper: 1 - lower };
  }
  // Modified Lentz on Q(a, x)'s continued fraction (Numerical Recipes §6.2).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const upper = Math.min(1, Math.exp(logFront) * h);
  return { lower: 1 - upper, upper };
}

/**
 * Lentz continued fraction of I_x(a, b) (Numerical Recipes §6.4), fast for x < (a+1)/(a+b+2).
 * Its first term 1 − (a+b)x/(a+1) is rewritten with y = 1 − x as (1 − b + (a+b)y)/(a+1): for
 * huge a and x near 1 (t with 10⁷ df) the textbook form cancels away half the digits.
 */
function betaFraction(a: number, b: number, x: number, y: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = x > 0.5 ? (1 - b + qab * y) / qap : 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b), both tails. Pass `y = 1 − x` when you know it more
 * exactly than `1 - x` would give (Student's t passes t²/(ν + t²) for tiny t).
 *
 * @example
 * incompleteBeta(2, 3, 0.4).lower // ≈ 0.5248
 */
export function incompleteBeta(a: number, b: number, x: number, y: number = 1 - x): { lower: number; upper: number } {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0)) {
    throw new RangeError(`incompleteBeta needs a, b > 0 and 0 ≤ x ≤ 1, got ${a}, ${b}, ${x}`);
  }
  if (x === 0) return { lower: 0, upper: 1 };
  if (y === 0) return { lower: 1, upper: 0 };
  const lnX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * lnX + b * lnY - logBeta(a, b));
  if (x * (a + b + 2) < a + 1) {
    const lower = Math.min(1, (front * betaFraction(a, b, x, y)) / a);
    return { lower, upper: 1 - lower };
  }
  const upper = Math.min(1, (front * betaFraction(b, a, y, x)) / b);
  return { lower: 1 - upper, upper };
}
