// Guardrails and ramp decisions: the one-sided always-valid test against scipy's numerical
// integral of the same mixture, its error rate under no harm across many looks, and every rule of
// decideRamp with exact values.
import { describe, expect, it } from "vitest";
import { oneSidedSprt, quantileLimit, testGuardrails, type Guardrail, type GuardrailData, type GuardrailResult } from "../src/guardrails.ts";
import { decideRamp, type Ramp, type RampState } from "../src/ramp.ts";
import { guardrailData } from "../src/guardrail-data.ts";
import { emptyAggregates, type VariantAggregates } from "../src/aggregates.ts";
import { mixtureVariance } from "../src/stats/index.ts";
import { expectClose } from "./stats/expect-close.ts";
import { gaussian, mulberry32 } from "./stats/random.ts";

describe("oneSidedSprt", () => {
  // scipy.integrate.quad of ∫₀^∞ 2·N(θ; 0, τ²)·exp((θθ̂ − θ²/2)/V) dθ, p = min(1, 1/Λ)
  it.each([
    [0.03, 0.0001, 0.0002, 0.04342750025623296],
    [0.05, 0.0001, 0.0002, 0.00020817071061427078],
    [0.004, 1e-6, 3e-6, 0.002479411707005173],
    [120, 400, 900, 3.4908760166609383e-06],
    [0.02, 0.0001, 0.00005, 0.3589506097335426],
  ])("θ̂ %f, V %f, τ² %f → p as scipy integrates it", (estimate, variance, tau2, expected) => {
    expectClose(oneSidedSprt(estimate, variance, tau2), expected, 1e-9);
  });

  it("is 1 on the good side and without an estimate", () => {
    expect(oneSidedSprt(-0.02, 0.0004, 0.001)).toBe(1);
    expect(oneSidedSprt(0, 0.01, 0.02)).toBe(1);
    expect(oneSidedSprt(5, Infinity, 1)).toBe(1);
    expect(oneSidedSprt(0.1, 0, 1)).toBe(0);
  });

  it("fires on no harm in at most alpha of ramps watched for 60 looks", () => {
    const normal = gaussian(mulberry32(15));
    let fired = 0;
    const ramps = 2000;
    for (let r = 0; r < ramps; r++) {
      let sum = 0;
      for (let look = 1; look <= 60; look++) {
        sum += normal(); // 1 subject-sd of evidence per look, true effect 0
        const estimate = sum / look, variance = 1 / look;
        if (oneSidedSprt(estimate, variance, mixtureVariance(variance, look, 0.05, 30)) < 0.05) {
          fired++;
          break;
        }
      }
    }
    expect(fired / ramps).toBeLessThanOrEqual(0.05);
  });
});

const ratio = (n: number, calls: number, x: number): GuardrailData => {
  // n subjects with calls/n calls each and x/n errors each: no between-subject spread but what rounding leaves.
  return { kind: "ratio", control: { n, sumX: x, sumY: calls, sumXX: (x * x) / n + x, sumYY: (calls * calls) / n, sumXY: (x * calls) / n }, treatment: { n, sumX: x, sumY: calls, sumXX: (x * x) / n + x, sumYY: (calls * calls) / n, sumXY: (x * calls) / n } };
};

describe("testGuardrails", () => {
  const errors: Guardrail = { metric: "error_rate", threshold: 0.02, action: "rollback" };

  it("breaches when the error rate rose well past the margin, with the numbers that decided it", () => {
    const control = { n: 400, sumX: 8, sumY: 800, sumXX: 8, sumYY: 1600, sumXY: 16 };
    const treatment = { n: 400, sumX: 80, sumY: 800, sumXX: 80, sumYY: 1600, sumXY: 160 };
    const [r] = testGuardrails([errors], [{ kind: "ratio", control, treatment }]);
    expect(r!.status).toBe("breach");
    expectClose(r!.estimate!, 0.09, 1e-12);
    expect(r!.margin).toBe(0.02);
    expect(r!.interval!.lower).toBeGreaterThan(0.02); // the always-valid interval clears the margin too
    expect(r!.interval!.upper).toBeGreaterThan(0.09);
    expect(r!.pValue!).toBeLessThan(0.001);
    expect(r!.reason).toMatch(/^breach: harm \+0\.090 vs margin 0\.020 \(one-sided always-valid p/);
  });

  it("stays ok when the treatment is better, and insufficient below minSamples", () => {
    const same = ratio(400, 800, 16);
    expect(testGuardrails([errors], [same])[0]!.status).toBe("ok");
    const [thin] = testGuardrails([{ ...errors, minSamples: 500 }], [same]);
    expect(thin).toMatchObject({ status: "insufficient", pValue: null, reason: "insufficient: 400 of 500 subjects in the smaller arm" });
  });

  it("a relative threshold is a margin on the control's value; decrease flips the harm", () => {
    const control = { n: 300, sumX: 240, sumY: 300, sumXX: 240, sumYY: 300, sumXY: 240 };   // 80% thumbs up
    const treatment = { n: 300, sumX: 150, sumY: 300, sumXX: 150, sumYY: 300, sumXY: 150 }; // 50%
    const [r] = testGuardrails([{ metric: "custom:copied:rate", direction: "decrease", threshold: 0.1, relative: true, action: "hold" }], [{ kind: "ratio", control, treatment }]);
    expectClose(r!.margin!, 0.08, 1e-12);
    expectClose(r!.estimate!, 0.3, 1e-12);
    expect(r!.status).toBe("breach");
  });

  it("tests p95 by the share of treatment calls above the control's p95 plus the margin", () => {
    const g: Guardrail = { metric: "ttft_p95", threshold: 0.2, relative: true, action: "rollback" };
    expect(quantileLimit(g, 500)).toBe(600);
    expect(quantileLimit(g, null)).toBeNull();
    const [healthy, slow, none] = testGuardrails([g, g, g], [{ kind: "quantile", limit: 600, calls: 1000, above: 40 }, { kind: "quantile", limit: 600, calls: 1000, above: 300 }, { kind: "quantile", limit: null, calls: 0, above: 0 }]);
    expect(healthy!.status).toBe("ok");
    expect(slow!.status).toBe("breach");
    expectClose(slow!.estimate!, 0.25, 1e-12);
    expect(none!.status).toBe("insufficient");
  });

  it("a budget breaches on today's cost alone, and Holm adjusts across the tested guardrails", () => {
    const [budget] = testGuardrails([{ metric: "daily_cost", threshold: 50, action: "rollback" }], [{ kind: "budget", costToday: 50.01 }]);
    expect(budget).toMatchObject({ status: "breach", estimate: 50.01, margin: 50, reason: "breach: cost today $50.01 > budget $50.00" });
    const control = { n: 400, sumX: 8, sumY: 800, sumXX: 8, sumYY: 1600, sumXY: 16 };
    const treatment = { n: 400, sumX: 28, sumY: 800, sumXX: 28, sumYY: 1600, sumXY: 56 };
    const d: GuardrailData = { kind: "ratio", control, treatment };
    const [a, b] = testGuardrails([{ ...errors, threshold: 0 }, { ...errors, threshold: 0 }], [d, d]);
    expectClose(a!.pValueAdjusted!, Math.min(1, 2 * a!.pValue!), 1e-12);
    expect(b!.pValueAdjusted).toBe(a!.pValueAdjusted);
  });
});

describe("decideRamp", () => {
  const ramp: Ramp = {
    stages: [{ rollout: 100, minDurationMinutes: 60, minSubjects: 100 }, { rollout: 2500, minDurationMinutes: 60, minSubjects: 200 }],
    guardrails: [{ metric: "error_rate", threshold: 0.02, action: "rollback" }, { metric: "daily_cost", threshold: 50, action: "rollback" }],
  };
  const t0 = Date.UTC(2026, 11, 3, 12);
  const state: RampState = { stage: 0, stageStartedAt: t0, extended: false, status: "running" };
  const ok = (metric: string): GuardrailResult => ({ metric, action: "rollback", status: "ok", estimate: 0, margin: 0, interval: null, pValue: 0.5, pValueAdjusted: 1, samples: 100, reason: "ok" });
  const look = (minutes: number, subjects: Record<string, number>, guardrails: GuardrailResult[] = [ok("error_rate"), ok("daily_cost")]) => ({ now: t0 + minutes * 60_000, subjects, srm: null, guardrails });

  it("waits out the stage, then advances with the next rollout", () => {
    expect(decideRamp(ramp, state, look(30, { a: 500, b: 500 })).action).toBe("none");
    const d = decideRamp(ramp, state, look(60, { a: 100, b: 100 }));
    expect(d).toMatchObject({ action: "advance", rollout: 2500, state: { stage: 1, stageStartedAt: t0 + 3_600_000, extended: false, status: "running" } });
  });

  it("extends a thin stage once, then holds (or advances with onThin advance)", () => {
    const thin = decideRamp(ramp, state, look(61, { a: 100, b: 40 }));
    expect(thin).toMatchObject({ action: "extend", rollout: 100, state: { extended: true }, reason: "stage 1 lacks subjects (b 40 of 100): extended once by 60 min" });
    expect(decideRamp(ramp, thin.state, look(100, { a: 100, b: 40 })).action).toBe("none");
    expect(decideRamp(ramp, thin.state, look(120, { a: 100, b: 40 }))).toMatchObject({ action: "hold", state: { status: "held" }, rollout: 100 });
    expect(decideRamp({ ...ramp, onThin: "advance" }, thin.state, look(120, { a: 100, b: 40 }))).toMatchObject({ action: "advance", rollout: 2500 });
  });

  it("rolls back on a breach, to rollout 0; a budget breach wins over everything", () => {
    const breach: GuardrailResult = { ...ok("error_rate"), status: "breach", reason: "breach: harm +0.09" };
    expect(decideRamp(ramp, state, look(5, { a: 5, b: 5 }, [breach, ok("daily_cost")]))).toMatchObject({ action: "rollback", rollout: 0, state: { status: "rolled_back" }, reason: "error_rate: breach: harm +0.09" });
    const budget: GuardrailResult = { ...ok("daily_cost"), status: "breach", reason: "breach: cost today $51.00 > budget $50.00" };
    const d = decideRamp(ramp, state, { ...look(5, { a: 5, b: 5 }, [ok("error_rate"), budget]), srm: { mismatch: true, pValue: 1e-5 } });
    expect(d).toMatchObject({ action: "rollback", rollout: 0, reason: "budget: breach: cost today $51.00 > budget $50.00" });
  });

  it("holds on a sample-ratio mismatch and says so; a stopped ramp does nothing", () => {
    const d = decideRamp(ramp, state, { ...look(90, { a: 500, b: 300 }), srm: { mismatch: true, pValue: 0.00001 } });
    expect(d.action).toBe("hold");
    expect(d.reason).toMatch(/^sample-ratio mismatch \(p 1\.0e-5\)/);
    for (const status of ["paused", "held", "rolled_back", "completed"] as const) expect(decideRamp(ramp, { ...state, status }, look(500, { a: 1e4, b: 1e4 })).action).toBe("none");
  });

  it("completes after the last stage and reports warn breaches without acting", () => {
    const last: RampState = { stage: 1, stageStartedAt: t0, extended: false, status: "running" };
    expect(decideRamp(ramp, last, look(60, { a: 200, b: 200 }))).toMatchObject({ action: "complete", rollout: 2500, state: { status: "completed" } });
    const warn: GuardrailResult = { ...ok("error_rate"), action: "warn", status: "breach" };
    const d = decideRamp(ramp, state, look(10, { a: 1, b: 1 }, [warn, ok("daily_cost")]));
    expect(d.action).toBe("warn");
    expect(d.warnings).toEqual([warn]);
  });
});

describe("guardrailData", () => {
  const sums = (n: number, x: number, y: number) => ({ n, sumX: x, sumY: y, sumXX: x, sumYY: y, sumXY: x });
  const arm = (variant: string, over: Partial<VariantAggregates>): VariantAggregates => ({ ...emptyAggregates(variant), subjects: 10, ...over });

  it("reads each rate and mean from the results' aggregates; p95 and budget are the watcher's SQL", () => {
    const c = arm("small", { fallbacks: sums(10, 1, 20), truncations: sums(10, 2, 20), thumbsUp: sums(10, 6, 10), custom: { copied: { subjects: 4, events: 6, sum: 6, sumSquares: 10 } } });
    const t = arm("large", { fallbacks: sums(10, 5, 20), truncations: sums(10, 0, 20), thumbsUp: sums(10, 3, 10) });
    expect(guardrailData("fallback_rate", c, t)).toEqual({ kind: "ratio", control: c.fallbacks, treatment: t.fallbacks });
    expect(guardrailData("truncation_rate", c, t)).toEqual({ kind: "ratio", control: c.truncations, treatment: t.truncations });
    // 👎 per thumb from the 👍 sums: control 4 of 10 thumbs down, treatment 7 of 10.
    expect(guardrailData("thumbs_down_rate", c, t)).toEqual({ kind: "ratio", control: { n: 10, sumX: 4, sumY: 10, sumXX: 4, sumYY: 10, sumXY: 4 }, treatment: { n: 10, sumX: 7, sumY: 10, sumXX: 7, sumYY: 10, sumXY: 7 } });
    expect(guardrailData("custom:copied:rate", c, t)).toEqual({ kind: "proportion", control: { n: 10, successes: 4 }, treatment: { n: 10, successes: 0 } });
    expect(guardrailData("custom:copied:value", c, t)).toEqual({ kind: "mean", control: { n: 10, sum: 6, sumSquares: 10 }, treatment: { n: 10, sum: 0, sumSquares: 0 } });
    expect(guardrailData("custom:constructor:value", c, t)).toMatchObject({ kind: "mean", control: { sum: 0 } });
    for (const metric of ["ttft_p95", "latency_p95", "daily_cost"]) expect(guardrailData(metric, c, t)).toBeNull();
  });
});
