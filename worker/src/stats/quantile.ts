/**
 * Quantiles of a sorted sample (latency p50/p95 on the results page).
 *
 * @module
 */

/**
 * The q-quantile of an ascending sample, by linear interpolation between order statistics
 * (Hyndman–Fan type 7, numpy's and R's default): position h = (n − 1)·q. Throws a RangeError
 * on an empty sample or q outside [0, 1] (numpy raises there too); the caller sorts.
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty sample");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile needs 0 ≤ q ≤ 1, got ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  if (lo === n - 1) return a;
  const b = sorted[lo + 1]!;
  const t = h - lo;
  // numpy's lerp: anchored at the nearer end, so q = 1 gives the maximum exactly.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}
