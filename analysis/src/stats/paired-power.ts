/**
 * The paired bootstrap interval of a mean difference, and the paired t design numbers: the
 * smallest difference this many records can detect, and how many records a wanted one needs.
 *
 * @module
 */
import { studentTQuantile } from "./distributions.ts";
import { quantile } from "./quantile.ts";
import type { Interval } from "./types.ts";

/**
 * mulberry32: a 32-bit seeded generator of uniforms in [0, 1). Small, fast, and the same in every
 * runtime, so a bootstrap interval is reproducible from its seed.
 *
 * @example
 * const next = seededUniform(7); next(); // 0.0 ≤ x < 1, the same on every run
 */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of {@link pairedBootstrap}. */
export interface BootstrapOptions {
  /** Resamples; default 10,000. */
  resamples?: number;
  /** Default 0.95. */
  confidence?: number;
  /** mulberry32 seed; default 1. */
  seed?: number;
}

/**
 * The percentile bootstrap interval of the mean of paired differences: resample the records with
 * replacement (each record keeps its pair, so the pairing survives), take each resample's mean,
 * and read the (1 − c)/2 and (1 + c)/2 quantiles (numpy's linear rule). Seeded, so the same data
 * and seed give the same interval everywhere; it is checked against the t interval on normal data,
 * not against scipy, whose generator differs.
 *
 * @example
 * pairedBootstrap([0.1, 0.3, -0.2, 0.4], { seed: 3 }) // { estimate: 0.15, lower: …, upper: … }
 */
export function pairedBootstrap(differences: readonly number[], options: BootstrapOptions = {}): Interval {
  const n = differences.length;
  const estimate = n === 0 ? 0 : differences.reduce((s, d) => s + d, 0) / n;
  if (n < 2) return { estimate, lower: estimate, upper: estimate };
  const resamples = options.resamples ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  const next = seededUniform(options.seed ?? 1);
  const means = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(next() * n)]!;
    means[r] = sum / n;
  }
  means.sort((a, b) => a - b);
  return { estimate, lower: quantile(means, (1 - confidence) / 2), upper: quantile(means, (1 + confidence) / 2) };
}

/** Options of the paired t design numbers. */
export interface PowerOptions {
  /** Two-sided; default 0.05. */
  alpha?: number;
  /** Default 0.8. */
  power?: number;
}

/**
 * The minimum detectable effect of a two-sided paired t test with n records whose differences
 * have standard deviation `sd`: (t_{1−α/2, n−1} + t_{power, n−1}) · sd / √n, the standard t
 * approximation to the noncentral t power equation (within 1% of scipy's `nct` for n ≥ 10).
 * Fewer than two records: Infinity.
 *
 * @example
 * minimumDetectableEffect(100, 1) // ≈ 0.2829
 */
export function minimumDetectableEffect(n: number, sd: number, options: PowerOptions = {}): number {
  if (n < 2) return Infinity;
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  return ((studentTQuantile(1 - alpha / 2, n - 1) + studentTQuantile(power, n - 1)) * sd) / Math.sqrt(n);
}

/**
 * The fewest records whose minimum detectable effect (same formula) is at most `effect`; 2 when
 * sd is 0, Infinity for an effect of 0.
 *
 * @example
 * recordsNeeded(0.2829, 1) // 100
 */
export function recordsNeeded(effect: number, sd: number, options: PowerOptions = {}): number {
  const wanted = Math.abs(effect);
  if (sd === 0) return 2;
  if (wanted === 0) return Infinity;
  let high = 2;
  while (minimumDetectableEffect(high, sd, options) > wanted) high *= 2;
  // The formula falls monotonically in n: bisect between the last doubling and this one.
  let low = Math.max(2, high / 2);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (minimumDetectableEffect(mid, sd, options) > wanted) low = mid + 1;
    else high = mid;
  }
  return high;
}
