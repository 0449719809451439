// mSPRT (normal mixture, GrowthBook's tuning) and the Bayesian read-out against numpy/scipy.
import { describe, expect, test } from "vitest";
import { bayesLift, mixtureSprt, mixtureVariance, monotoneLooks, type SequentialResult } from "../../src/stats/index.ts";
import { expectClose, expectDeepClose } from "./expect-close.ts";
import fx from "./fixtures/sequential-bayes.json" with { type: "json" };

describe("mixtureSprt", () => {
  test.each(fx.sequential)("θ̂ = $estimate, V = $variance, n = $n, α = $alpha, N* = $tuning", (c) => {
    const tau2 = mixtureVariance(c.variance, c.n, c.alpha, c.tuning);
    expectClose(tau2, c.tau2, 1e-6, 0, "τ²");
    expectDeepClose(mixtureSprt(c.estimate, c.variance, tau2, c.alpha), { pValue: c.pValue, absolute: c.absolute });
  });

  test("the interval excludes 0 exactly when p < α (the test and its confidence sequence agree)", () => {
    for (let z = 0; z < 8; z += 0.01) {
      const variance = 0.3;
      const r = mixtureSprt(z * Math.sqrt(variance), variance, mixtureVariance(variance, 3000), 0.05);
      expect(r.absolute.lower > 0, `z = ${z}`).toBe(r.pValue < 0.05);
    }
  });

  test("the confidence sequence is tightest near n = N* (relative to the fixed-horizon width)", () => {
    const ratio = (n: number) => {
      const variance = 1 / n;
      const half = mixtureSprt(0, variance, mixtureVariance(variance, n, 0.05, 5000), 0.05).absolute.upper;
      return half / (1.959963984540054 * Math.sqrt(variance));
    };
    expect(ratio(5000)).toBeLessThan(ratio(500));
    expect(ratio(5000)).toBeLessThan(ratio(50_000));
  });

  test("degenerate variances", () => {
    expect(mixtureSprt(1, Infinity, Infinity)).toEqual({ pValue: 1, absolute: { estimate: 1, lower: -Infinity, upper: Infinity } });
    expect(mixtureSprt(0, 0, 0)).toEqual({ pValue: 1, absolute: { estimate: 0, lower: 0, upper: 0 } });
    expect(mixtureSprt(2, 0, 0)).toEqual({ pValue: 0, absolute: { estimate: 2, lower: 2, upper: 2 } });
  });
});

describe("monotoneLooks", () => {
  const look = (pValue: number, estimate: number, lower: number, upper: number): SequentialResult => ({
    pValue,
    absolute: { estimate, lower, upper },
  });

  test("running minimum of p and running intersection of the intervals", () => {
    let carried = monotoneLooks(null, look(0.4, 1, -2, 4));
    carried = monotoneLooks(carried, look(0.2, 1.5, -1, 5));
    expect(carried).toEqual(look(0.2, 1.5, -1, 4));
    carried = monotoneLooks(carried, look(0.3, 0.5, -1.5, 2));
    expect(carried).toEqual(look(0.2, 0.5, -1, 2));
  });

  test("an empty intersection keeps the current look's interval (the effect moved)", () => {
    expect(monotoneLooks(look(0.01, 2, 1, 3), look(0.5, -2, -3, -1))).toEqual(look(0.01, -2, -3, -1));
  });

  test("does not alias its input", () => {
    const first = look(0.1, 0, -1, 1);
    const carried = monotoneLooks(null, first);
    carried.absolute.lower = -5;
    expect(first.absolute.lower).toBe(-1);
  });
});

describe("bayesLift", () => {
  test.each(fx.bayes)("lift $estimate ± √$variance, prior $prior, higherIsBetter $higherIsBetter", (c) => {
    const r = bayesLift(c.estimate, c.variance, c.prior, c.higherIsBetter);
    expectClose(r.chanceToBeatControl, c.chanceToBeatControl, 1e-6, 1e-300, "chance");
    expectClose(r.expectedLoss, c.expectedLoss, 1e-6, 1e-300, "loss");
  });

  test("the two directions mirror each other", () => {
    const up = bayesLift(0.03, 0.0004, null, true);
    const down = bayesLift(-0.03, 0.0004, null, false);
    expect(down.chanceToBeatControl).toBeCloseTo(up.chanceToBeatControl, 14);
    expect(down.expectedLoss).toBeCloseTo(up.expectedLoss, 14);
  });

  test("a far-off lift has a tiny but nonzero loss, not 0 or negative from cancellation", () => {
    const { expectedLoss } = bayesLift(0.5, 0.0025); // k = 10: σφ(k) − μΦ(−k) ≈ σφ(k)/k²
    expect(expectedLoss).toBeGreaterThan(0);
    expectClose(expectedLoss, fx.bayes.find((c) => c.estimate === 0.5)!.expectedLoss, 1e-9);
  });
});
