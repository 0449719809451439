// The paired tests of offline experiments against scipy 1.10 (fixtures/paired.json, written by
// analysis/scripts/gen-stats-fixtures.py): Wilcoxon, the sign test, the paired t, McNemar, and
// the paired t design numbers; the seeded bootstrap against the t interval it should approach.
import { describe, expect, test } from "vitest";
import fixture from "./fixtures/paired.json" with { type: "json" };
import { mcnemar, minimumDetectableEffect, pairedBootstrap, pairedT, recordsNeeded, signTest, wilcoxonSignedRank } from "../../src/stats/index.ts";
import { expectClose, expectDeepClose } from "./expect-close.ts";

describe("paired tests match scipy", () => {
  test.each(fixture.cases.map((c, i) => [i, c] as const))("case %i: wilcoxon, sign test, paired t", (_, c) => {
    expectDeepClose(wilcoxonSignedRank(c.differences), c.wilcoxon);
    expectDeepClose(signTest(c.differences), c.sign);
    expectDeepClose(pairedT(c.differences), c.t, 1e-6, 1e-12);
  });
  test("both Wilcoxon methods are exercised: exact without ties, approx with ties or zeros or n > 50", () => {
    expect(new Set(fixture.cases.map((c) => c.wilcoxon.method))).toEqual(new Set(["exact", "approx"]));
    expect(wilcoxonSignedRank([1.5, -0.5, 2, 3, -1, 4])).toEqual({ statistic: 3, pValue: 0.15625, method: "exact", n: 6 });
  });
  test.each(fixture.mcnemar.map((c) => [c.b, c.c, c] as const))("McNemar b=%i c=%i", (b, c, expected) => {
    expectDeepClose(mcnemar(b, c), { statistic: expected.statistic, pValue: expected.pValue, method: expected.method });
  });
});

describe("paired t design numbers", () => {
  test.each(fixture.power.map((c) => [c.n, c] as const))("n=%i: MDE as scipy's t quantiles give it, within 1.5%% of the noncentral-t power", (_, c) => {
    expectClose(minimumDetectableEffect(c.n, c.sd, { alpha: c.alpha, power: c.power }), c.mde, 1e-6, 1e-12, "mde");
    if (c.n >= 10) expect(Math.abs(c.nctPower - c.power)).toBeLessThan(0.015);
  });
  test("records needed is the fewest n whose MDE reaches the effect", () => {
    const n = recordsNeeded(0.2, 1);
    expect(minimumDetectableEffect(n, 1)).toBeLessThanOrEqual(0.2);
    expect(minimumDetectableEffect(n - 1, 1)).toBeGreaterThan(0.2);
    expect(n).toBe(199);
    expect(recordsNeeded(0.5, 0)).toBe(2);
    expect(recordsNeeded(0, 1)).toBe(Infinity);
    expect(minimumDetectableEffect(1, 1)).toBe(Infinity);
  });
});

describe("paired bootstrap", () => {
  const normal = fixture.cases[5]!.differences;
  test("seeded: the same seed gives the same interval, another seed another one", () => {
    expect(pairedBootstrap(normal, { seed: 7 })).toEqual(pairedBootstrap(normal, { seed: 7 }));
    expect(pairedBootstrap(normal, { seed: 7 }).lower).not.toBe(pairedBootstrap(normal, { seed: 8 }).lower);
  });
  test("on 60 normal differences it lands within 10% of the t interval's width of each t bound", () => {
    const boot = pairedBootstrap(normal, { seed: 1 });
    const t = pairedT(normal).interval;
    const width = t.upper - t.lower;
    expect(boot.estimate).toBe(t.estimate);
    expect(Math.abs(boot.lower - t.lower)).toBeLessThan(0.1 * width);
    expect(Math.abs(boot.upper - t.upper)).toBeLessThan(0.1 * width);
  });
  test("fewer than two pairs: a point interval", () => {
    expect(pairedBootstrap([0.4])).toEqual({ estimate: 0.4, lower: 0.4, upper: 0.4 });
  });
});
