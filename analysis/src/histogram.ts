/**
 * Per-call distributions (latency, time to first token) as log-histograms: a call is counted in a
 * bucket whose width is ~2% of its value, so a variant's distribution is a few hundred rows
 * however many calls it has (DDSketch's mapping). Every quantile read from it is within
 * {@link RELATIVE_ERROR} (1%) of the exact one, relative to its value; so is the limit a
 * percentile guardrail counts calls above (a call within 1% of the limit may land on either side).
 *
 * The bucket of a value is computed in SQL ({@link bucketSql}, as the results tables fold each
 * call) and read back in TypeScript ({@link bucketValue}): one mapping, two spellings, tested
 * against each other.
 *
 * @module
 */
import { quantileOf } from "./stats/index.ts";

/** Bucket i of a positive value v covers (γ^(i−1), γ^i]: γ = 1.02. */
export const GAMMA = 1.02;
/** The largest relative error of a value read from its bucket, (γ − 1)/(γ + 1) < 1%. */
export const RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);
/** Keys of positive values start above this (ln 1e-308 / ln γ ≈ −35,800), negative ones mirror them: keys sort as values do. */
const OFFSET = 40_000;
const LN_GAMMA = Math.log(GAMMA);

/**
 * The SQLite expression of the bucket key of `value` (an SQL expression, not null): 0 for 0,
 * OFFSET + ⌈ln v / ln γ⌉ for v > 0, its negation for v < 0. Needs SQLite's math functions (D1 and
 * node:sqlite have them).
 *
 * @example
 * bucketSql("e.latency_ms") // "CASE WHEN e.latency_ms > 0 THEN 40000 + CAST(ceil(ln(e.latency_ms) / …) AS INTEGER) …"
 */
export function bucketSql(value: string): string {
  const key = (v: string) => `(${OFFSET} + CAST(ceil(ln(${v}) / ${LN_GAMMA}) AS INTEGER))`;
  return `CASE WHEN ${value} > 0 THEN ${key(value)} WHEN ${value} < 0 THEN -${key(`-(${value})`)} ELSE 0 END`;
}

/**
 * The value a bucket stands for: 2γ^i/(γ + 1), the point of (γ^(i−1), γ^i] nearest in relative
 * terms to both ends, so within RELATIVE_ERROR of every value in it.
 *
 * @example
 * bucketValue(0) // 0
 */
export function bucketValue(key: number): number {
  if (key === 0) return 0;
  const i = Math.abs(key) - OFFSET;
  return Math.sign(key) * ((2 * GAMMA ** i) / (GAMMA + 1));
}

/** One bucket of a histogram: its key and how many calls it holds. */
export interface Bucket {
  bucket: number;
  n: number;
}

/**
 * The q-quantile of a histogram (numpy's default rule over the buckets' values), or null when it
 * is empty. `buckets` must be in ascending key order.
 *
 * @example
 * histogramQuantile([{ bucket: 40233, n: 3 }], 0.95) // ≈ 100 (within 1%)
 */
export function histogramQuantile(buckets: readonly Bucket[], q: number): number | null {
  const cnt = buckets.reduce((s, b) => s + b.n, 0);
  if (cnt === 0) return null;
  return quantileOf(cnt, q, (rank) => {
    let seen = 0;
    for (const b of buckets) {
      seen += b.n;
      if (rank < seen) return bucketValue(b.bucket);
    }
    return bucketValue(buckets[buckets.length - 1]!.bucket);
  });
}

/**
 * How many calls a histogram holds, and how many of them lie above `limit` (by their bucket's value).
 *
 * @example
 * histogramAbove([{ bucket: 40233, n: 3 }, { bucket: 40400, n: 1 }], 850) // { calls: 4, above: 1 }
 */
export function histogramAbove(buckets: readonly Bucket[], limit: number): { calls: number; above: number } {
  let calls = 0;
  let above = 0;
  for (const b of buckets) {
    calls += b.n;
    if (bucketValue(b.bucket) > limit) above += b.n;
  }
  return { calls, above };
}
