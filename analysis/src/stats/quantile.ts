/**
 * Quantiles by linear interpolation between order statistics (latency p50/p95 on the results
 * page). One rule for every caller: {@link quantile} over an array in memory, and
 * {@link quantileOf} over order statistics fetched one by one (the results SQL returns only the
 * two around each quantile, never the whole sample). The numpy fixtures test both through
 * `quantileOf`.
 *
 * @module
 */

/**
 * The two 0-based ranks a q-quantile of n values interpolates between (the upper one may equal n:
 * it is then unused). The results SQL selects exactly these rows.
 *
 * @example
 * quantileRanks(3, 0.95) // [1, 2]
 */
export function quantileRanks(n: number, q: number): [number, number] {
  const lo = Math.floor((n - 1) * q);
  return [lo, lo + 1];
}

/**
 * The q-quantile of n ascending values, read through `at(rank)` (Hyndman–Fan type 7, numpy's
 * and R's default): position h = (n − 1)·q. Only the ranks {@link quantileRanks} names are read.
 * Throws a RangeError on an empty sample or q outside [0, 1] (numpy raises there too).
 *
 * @example
 * quantileOf(3, 0.95, (i) => [100, 200, 300][i]!) // 290
 */
export function quantileOf(n: number, q: number, at: (rank: number) => number): number {
  if (!(n >= 1)) throw new RangeError("quantile of an empty sample");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile needs 0 ≤ q ≤ 1, got ${q}`);
  const h = (n - 1) * q;
  const [lo, hi] = quantileRanks(n, q);
  const a = at(lo);
  if (lo === n - 1) return a;
  const b = at(hi);
  const t = h - lo;
  // numpy's lerp: anchored at the nearer end, so q = 1 gives the maximum exactly.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/**
 * The q-quantile of an ascending sample (the caller sorts): {@link quantileOf} over an array.
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(sorted: readonly number[], q: number): number {
  return quantileOf(sorted.length, q, (i) => sorted[i]!);
}
