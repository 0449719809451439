// The data the results route will meet on day one: empty arms, one subject, constant metrics, a
// control at 0. None of it may throw or leak NaN; each choice is documented in compare.ts.
import { describe, expect, test } from "vitest";
import { compareMeans, compareProportions, compareRatios, type Comparison } from "../../src/stats/index.ts";

const constant = (n: number, value: number) => ({ n, sum: n * value, sumSquares: n * value * value });

function expectNoNaN(value: unknown, path = "$"): void {
  if (typeof value === "number") expect(Number.isNaN(value), path).toBe(false);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
  }
}

const allOptions = { sequential: true } as const;

describe("identical arms give p = 1", () => {
  test.each([
    ["means", () => compareMeans({ n: 5, sum: 15, sumSquares: 55 }, { n: 5, sum: 15, sumSquares: 55 }, allOptions)],
    ["proportions", () => compareProportions({ n: 100, successes: 50 }, { n: 100, successes: 50 }, allOptions)],
    ["ratios", () => compareRatios(
      { n: 3, sumX: 6, sumY: 6, sumXX: 14, sumYY: 14, sumXY: 13 },
      { n: 3, sumX: 6, sumY: 6, sumXX: 14, sumYY: 14, sumXY: 13 },
      allOptions,
    )],
  ])("%s", (_, run) => {
    const r: Comparison = run();
    expect(r.pValue).toBe(1);
    expect(r.statistic).toBe(0);
    expect(r.sequential?.pValue).toBe(1);
    expect(r.absolute.estimate).toBe(0);
    expect(r.bayes.chanceToBeatControl).toBe(0.5);
    expectNoNaN(r);
  });
});

describe("zero variance", () => {
  test("equal constants: p = 1, a point interval at 0, d = 0", () => {
    const r = compareMeans(constant(5, 2), constant(6, 2), allOptions);
    expect(r).toMatchObject({ statistic: 0, pValue: 1, df: 9, cohensD: 0, warnings: ["zero-variance"] });
    expect(r.absolute).toEqual({ estimate: 0, lower: 0, upper: 0 });
    expect(r.sequential).toEqual({ pValue: 1, absolute: { estimate: 0, lower: 0, upper: 0 } });
    expect(r.bayes).toEqual({ chanceToBeatControl: 0.5, expectedLoss: 0, scale: "relative" });
  });
  test("different constants: statistic ±Infinity and p = 0, as scipy; d is undefined (null)", () => {
    const r = compareMeans(constant(5, 2), constant(5, 3), allOptions);
    expect(r).toMatchObject({ statistic: Infinity, pValue: 0, cohensD: null, warnings: ["zero-variance"] });
    expect(r.absolute).toEqual({ estimate: 1, lower: 1, upper: 1 });
    expect(r.relative).toEqual({ estimate: 0.5, lower: 0.5, upper: 0.5 });
    expect(r.sequential?.pValue).toBe(0);
    expect(r.bayes).toEqual({ chanceToBeatControl: 1, expectedLoss: 0, scale: "relative" });
    expect(compareMeans(constant(5, 3), constant(5, 2)).statistic).toBe(-Infinity);
  });
  test("proportions 0/10 against 10/10: the pooled z still tests, the unpooled interval is a point", () => {
    const r = compareProportions({ n: 10, successes: 0 }, { n: 10, successes: 10 });
    expect(r.statistic).toBeCloseTo(Math.sqrt(20), 12);
    expect(r.pValue).toBeLessThan(1e-4);
    expect(r.absolute).toEqual({ estimate: 1, lower: 1, upper: 1 });
    expect(r.relative).toBeNull();
    expect(r.warnings).toEqual(["zero-variance", "control-zero"]);
  });
  test("nobody converts in either arm: p = 1", () => {
    const r = compareProportions({ n: 50, successes: 0 }, { n: 60, successes: 0 }, allOptions);
    expect(r).toMatchObject({ statistic: 0, pValue: 1, relative: null });
    expectNoNaN(r);
  });
});

describe("too few subjects", () => {
  test.each([
    ["one subject in control", { n: 1, sum: 4, sumSquares: 16 }],
    ["an empty control", { n: 0, sum: 0, sumSquares: 0 }],
  ])("means, %s: p = 1, unbounded intervals, nothing known", (_, control) => {
    const r = compareMeans(control, { n: 20, sum: 90, sumSquares: 500 }, allOptions);
    expect(r).toMatchObject({ statistic: 0, df: null, pValue: 1, cohensD: null });
    expect(r.warnings).toContain("too-few-subjects");
    expect(r.absolute.lower).toBe(-Infinity);
    expect(r.absolute.upper).toBe(Infinity);
    expect(r.sequential).toEqual({ pValue: 1, absolute: { estimate: r.absolute.estimate, lower: -Infinity, upper: Infinity } });
    expect(r.bayes.chanceToBeatControl).toBe(0.5);
    expect(r.bayes.expectedLoss).toBe(Infinity);
    expectNoNaN(r);
    // The results route serialises to JSON: unbounded ends become null, not a crash.
    expect(JSON.parse(JSON.stringify(r.absolute))).toEqual({ estimate: r.absolute.estimate, lower: null, upper: null });
  });
  test("an empty control reports mean 0 and no relative lift", () => {
    const r = compareMeans({ n: 0, sum: 0, sumSquares: 0 }, { n: 2, sum: 3, sumSquares: 5 });
    expect(r.control).toBe(0);
    expect(r.relative).toBeNull();
    expect(r.warnings).toEqual(["too-few-subjects", "control-zero"]);
    expect(r.bayes.scale).toBe("absolute");
  });
  test("with a prior and no data, the Bayesian read-out is the prior's", () => {
    const r = compareMeans({ n: 1, sum: 4, sumSquares: 16 }, { n: 1, sum: 5, sumSquares: 25 }, { prior: { mean: 0.1, sd: 0.1 } });
    expect(r.bayes.chanceToBeatControl).toBeCloseTo(0.8413447460685429, 12);
  });
  test("proportions need one subject per arm, ratios two", () => {
    expect(compareProportions({ n: 0, successes: 0 }, { n: 5, successes: 1 }).warnings).toContain("too-few-subjects");
    expect(compareProportions({ n: 1, successes: 1 }, { n: 1, successes: 0 }).warnings).toEqual(["zero-variance"]);
    const one = { n: 1, sumX: 5, sumY: 2, sumXX: 25, sumYY: 4, sumXY: 10 };
    const r = compareRatios(one, one);
    expect(r).toMatchObject({ pValue: 1, statistic: 0, warnings: ["too-few-subjects"] });
    expectNoNaN(r);
  });
});

describe("control at 0", () => {
  test("means: relative is null, Bayes falls back to the absolute difference (prior ignored)", () => {
    const r = compareMeans({ n: 4, sum: 0, sumSquares: 8 }, { n: 4, sum: 4, sumSquares: 12 }, { prior: { mean: 0, sd: 0.001 } });
    expect(r.relative).toBeNull();
    expect(r.warnings).toEqual(["control-zero"]);
    expect(r.bayes.scale).toBe("absolute");
    expect(r.bayes.chanceToBeatControl).toBeGreaterThan(0.5);
    expectNoNaN(r);
  });
  test("ratios with ΣY = 0 in control: ratio reported as 0, variance unknown", () => {
    const r = compareRatios(
      { n: 3, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 },
      { n: 3, sumX: 6, sumY: 3, sumXX: 14, sumYY: 3, sumXY: 6 },
    );
    expect(r).toMatchObject({ control: 0, treatment: 2, pValue: 1, relative: null });
    expect(r.warnings).toEqual(["denominator-zero", "control-zero"]);
    expectNoNaN(r);
  });
});

describe("caller bugs are loud", () => {
  test("invalid summaries and options throw RangeError", () => {
    expect(() => compareMeans({ n: -1, sum: 0, sumSquares: 0 }, constant(3, 1))).toThrow(RangeError);
    expect(() => compareMeans({ n: 3, sum: NaN, sumSquares: 0 }, constant(3, 1))).toThrow(/control\.sum/);
    expect(() => compareProportions({ n: 3, successes: 4 }, { n: 3, successes: 1 })).toThrow(RangeError);
    expect(() => compareMeans(constant(3, 1), constant(3, 1), { alpha: 0 })).toThrow(RangeError);
    expect(() => compareMeans(constant(3, 1), constant(3, 1), { sequentialTuning: 0 })).toThrow(RangeError);
  });
});

test("extra fields on a summary (a SQL row's variant name) are ignored", () => {
  const row = { variant: "gpt-4o-mini", n: 3, sum: 6, sumSquares: 14 };
  expect(compareMeans(row, row).pValue).toBe(1);
});
