// The log-histogram's one mapping in two spellings: the SQL that buckets a call as the triggers
// store it, and the TypeScript that reads a bucket's value back. They must agree, every value must
// read back within RELATIVE_ERROR, and keys must sort as values do.
import { DatabaseSync } from "node:sqlite";
import { describe, expect, test } from "vitest";
import { bucketSql, bucketValue, GAMMA, histogramAbove, histogramQuantile, RELATIVE_ERROR } from "../src/index.ts";

const db = new DatabaseSync(":memory:");
const keyOf = (v: number) => (db.prepare(`SELECT ${bucketSql("?1")} AS k`).get(v) as { k: number }).k;

describe("the latency histogram", () => {
  test("a value reads back from its bucket within 1%, for values from 1e-6 to 1e12, negative ones and 0", () => {
    expect(RELATIVE_ERROR).toBeLessThan(0.01);
    expect(RELATIVE_ERROR).toBeCloseTo((GAMMA - 1) / (GAMMA + 1), 15);
    const values = [0, 1e-6, 0.5, 1, 1.02, 42, 99.99, 100, 100.01, 850, 1234.5678, 60_000, 1e12, -0.5, -42, -1e6];
    for (let v = 0.001; v < 1e7; v *= 1.0137) values.push(v);
    for (const v of values) {
      const back = bucketValue(keyOf(v));
      expect(Math.abs(back - v), `${v} → ${back}`).toBeLessThanOrEqual(RELATIVE_ERROR * Math.abs(v) * (1 + 1e-12));
    }
    expect(keyOf(0)).toBe(0);
    expect(bucketValue(0)).toBe(0);
  });

  test("keys sort as their values do, across 0 and sign", () => {
    const values = [-1e6, -42, -1, -1e-6, 0, 1e-6, 1, 1.03, 42, 1e6];
    const keys = values.map(keyOf);
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
    expect(new Set(keys).size).toBe(values.length);
  });

  test("quantiles and exceedance over buckets", () => {
    const values = [100, 200, 300, 400, 1000];
    const counts = new Map<number, number>();
    for (const v of values) counts.set(keyOf(v), (counts.get(keyOf(v)) ?? 0) + 1);
    const buckets = [...counts].sort(([a], [b]) => a - b).map(([bucket, n]) => ({ bucket, n }));
    // numpy: p50 = 300, p95 = 400 + 0.8 × 600 = 880
    expect(Math.abs(histogramQuantile(buckets, 0.5)! - 300)).toBeLessThanOrEqual(3);
    expect(Math.abs(histogramQuantile(buckets, 0.95)! - 880)).toBeLessThanOrEqual(8.8);
    expect(histogramQuantile([], 0.5)).toBeNull();
    expect(histogramAbove(buckets, 350)).toEqual({ calls: 5, above: 2 });
    expect(histogramAbove(buckets, 1100)).toEqual({ calls: 5, above: 0 });
    expect(histogramAbove([], 1)).toEqual({ calls: 0, above: 0 });
  });
});
