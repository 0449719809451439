// compareMeans / compareProportions / compareRatios against scipy and numpy on the raw samples
// behind the sums (fixtures from analysis/scripts/gen-stats-fixtures.py).
import { describe, expect, test } from "vitest";
import { compareMeans, compareProportions, compareRatios, type CompareOptions } from "../../src/stats/index.ts";
import { expectDeepClose } from "./expect-close.ts";
import means from "./fixtures/means.json" with { type: "json" };
import proportions from "./fixtures/proportions.json" with { type: "json" };
import ratios from "./fixtures/ratios.json" with { type: "json" };

// JSON infers `prior: { mean, sd }` only on the cases that have one; the options are CompareOptions.
const options = (o: object) => o as CompareOptions;

describe("compareMeans is Welch's t-test (scipy.stats.ttest_ind, equal_var=False)", () => {
  test.each(means.cases)("$name", ({ control, treatment, options: o, expected }) => {
    const result = compareMeans(control, treatment, options(o));
    expectDeepClose(result, expected);
    expect(result.warnings).toEqual([]);
  });
});

describe("compareProportions: pooled z for p, unpooled SE for intervals (= chi2_contingency without correction)", () => {
  test.each(proportions.cases)("$name", ({ control, treatment, options: o, expected }) => {
    expectDeepClose(compareProportions(control, treatment, options(o)), expected);
  });
});

describe("compareRatios: delta-method variance of ΣX/ΣY from per-subject data", () => {
  test.each(ratios.cases)("$name", ({ control, treatment, options: o, expected }) => {
    expectDeepClose(compareRatios(control, treatment, options(o)), expected);
  });
});

describe("what each option changes", () => {
  const [c, t] = [means.cases[0]!.control, means.cases[0]!.treatment];
  test("sequential results only when asked for", () => {
    expect(compareMeans(c, t).sequential).toBeNull();
    expect(compareMeans(c, t, { sequential: true }).sequential?.pValue).toBeGreaterThan(compareMeans(c, t).pValue);
  });
  test("higherIsBetter flips only the Bayesian read-out", () => {
    const up = compareMeans(c, t);
    const down = compareMeans(c, t, { higherIsBetter: false });
    expect({ ...down, bayes: up.bayes }).toEqual(up);
    expect(down.bayes.chanceToBeatControl).toBeCloseTo(1 - up.bayes.chanceToBeatControl, 12);
  });
  test("a smaller alpha widens the interval and leaves the p-value alone", () => {
    const wide = compareMeans(c, t, { alpha: 0.01 });
    expect(wide.pValue).toBe(compareMeans(c, t).pValue);
    expect(wide.absolute.upper - wide.absolute.lower).toBeGreaterThan(compareMeans(c, t).absolute.upper - compareMeans(c, t).absolute.lower);
  });
  test("a tight prior pulls the lift toward its mean", () => {
    const flat = compareMeans(c, t).bayes.chanceToBeatControl;
    const sceptical = compareMeans(c, t, { prior: { mean: 0, sd: 0.01 } }).bayes.chanceToBeatControl;
    expect(Math.abs(sceptical - 0.5)).toBeLessThan(Math.abs(flat - 0.5));
  });
});
