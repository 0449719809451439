// SRM against scipy.stats.chisquare, Holm against a by-hand Python version, quantiles against
// numpy.quantile (fixtures from analysis/scripts/gen-stats-fixtures.py).
import { describe, expect, test } from "vitest";
import { holm, quantile, quantileOf, quantileRanks, sampleRatioMismatch } from "../../src/stats/index.ts";
import { expectClose } from "./expect-close.ts";
import holmFx from "./fixtures/holm.json" with { type: "json" };
import quantileFx from "./fixtures/quantile.json" with { type: "json" };
import srmFx from "./fixtures/srm.json" with { type: "json" };

describe("sampleRatioMismatch", () => {
  test("GrowthBook's published example: [1000, 1200] on an even split has p = 0.000020079", () => {
    const { chiSquare, df, pValue } = sampleRatioMismatch([1000, 1200], [0.5, 0.5]);
    expect(pValue.toPrecision(5)).toBe("0.000020079");
    expect(df).toBe(1);
    expectClose(chiSquare, 200 ** 2 / 2 / 1100, 1e-12);
  });

  test.each(srmFx.cases)("observed $observed, weights $weights", ({ observed, weights, chiSquare, df, pValue }) => {
    const r = sampleRatioMismatch(observed, weights);
    expectClose(r.chiSquare, chiSquare, 1e-6, 1e-12, "chi-square");
    expect(r.df).toBe(df);
    expectClose(r.pValue, pValue, 1e-6, 1e-300, "p");
  });

  test("edge cases: no subjects, one weighted variant, subjects in a weight-0 variant", () => {
    expect(sampleRatioMismatch([0, 0], [1, 1])).toEqual({ chiSquare: 0, df: 1, pValue: 1 });
    expect(sampleRatioMismatch([10, 0], [1, 0])).toEqual({ chiSquare: 0, df: 0, pValue: 1 });
    expect(sampleRatioMismatch([10, 3, 12], [1, 0, 1])).toEqual({ chiSquare: Infinity, df: 1, pValue: 0 });
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, -2], [1, 1])).toThrow(RangeError);
  });
});

describe("holm", () => {
  test.each(holmFx.cases)("$pValues.length p-values", ({ pValues, adjusted }) => {
    const result = holm(pValues);
    expect(result).toHaveLength(adjusted.length);
    result.forEach((value, i) => expectClose(value, adjusted[i]!, 1e-12, 0, `#${i}`));
  });

  test("adjusted values keep the raw order, never fall below the raw p, and stop at 1", () => {
    for (const { pValues } of holmFx.cases) {
      const result = holm(pValues);
      const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
      for (let k = 1; k < order.length; k++) expect(result[order[k]!]!).toBeGreaterThanOrEqual(result[order[k - 1]!]!);
      result.forEach((value, i) => {
        expect(value).toBeGreaterThanOrEqual(pValues[i]!);
        expect(value).toBeLessThanOrEqual(1);
      });
    }
  });

  test("NaN counts as 1 and out-of-range values are clamped", () => {
    expect(holm([NaN, 0.01])).toEqual([1, 0.02]);
    expect(holm([-0.5, 2])).toEqual([0, 1]);
  });
});

describe("quantile (numpy's default, linear / type 7)", () => {
  test.each(quantileFx.cases)("$sorted.length values", ({ sorted, quantiles }) => {
    for (const { q, value } of quantiles) expectClose(quantile(sorted, q), value, 1e-12, 1e-300, `q = ${q}`);
  });

  test.each(quantileFx.cases)("$sorted.length values, read rank by rank as the results SQL hands them over", ({ sorted, quantiles }) => {
    for (const { q, value } of quantiles) {
      const read: number[] = [];
      const got = quantileOf(sorted.length, q, (rank) => (read.push(rank), sorted[rank]!));
      expectClose(got, value, 1e-12, 1e-300, `q = ${q}`);
      // Only the two ranks the SQL selects are ever read.
      const [lo, hi] = quantileRanks(sorted.length, q);
      for (const rank of read) expect([lo, hi]).toContain(rank);
    }
  });

  test("ends are the extremes; empty samples and q outside [0, 1] throw", () => {
    expect(quantile([3, 7, 9], 0)).toBe(3);
    expect(quantile([3, 7, 9], 1)).toBe(9);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantileOf(0, 0.5, () => 0)).toThrow(RangeError);
    expect(quantileRanks(3, 0.95)).toEqual([1, 2]);
  });
});
