// Multi-run aggregation (Datadog's definitions), the variance split, the paired comparison's
// bookkeeping and the non-inferiority gate, on cells small enough to check by hand.
import { describe, expect, test } from "vitest";
import { aggregateEvaluator, compareVariants, gate, mode, scoreKind, varianceSplit, type EvaluatorInfo, type ScoredCell } from "../../src/index.ts";

const cell = (variant: string, record: string, run: number, value: number | boolean | string): ScoredCell => ({ variant, record, run, scores: { m: { value } } });
const numeric: EvaluatorInfo = { name: "m", kind: "numeric", higherIsBetter: true };

describe("aggregation across runs", () => {
  // r1: 1, 0, 1 → mean 2/3; r2: 1, 1, 1 → 1; r3: 0, 0, 1 → 1/3
  const cells = [[1, 0, 1], [1, 1, 1], [0, 0, 1]].flatMap((xs, i) => xs.map((x, run) => cell("a", `r${i + 1}`, run, x)));
  test("mean of record means and the variance split", () => {
    const agg = aggregateEvaluator(cells, "a", numeric);
    expect(agg.value).toBeCloseTo(2 / 3, 15);
    expect(agg.records).toBe(3);
    // within: (2/9·… ) pooled: SS = 2/3 + 0 + 2/3 = 4/3 on 6 df = 2/9; means' variance = 1/9
    expect(agg.spread!.withinRecords).toBeCloseTo(2 / 9, 15);
    expect(agg.spread!.ofRecordMeans).toBeCloseTo(1 / 9, 15);
    expect(agg.spread!.betweenRecords).toBeCloseTo(1 / 9 - 2 / 27, 15);
    expect(agg.spread!.shareBetweenRecords).toBeCloseTo((1 / 27) / (1 / 27 + 2 / 9), 12);
  });
  test("mode of record modes; ties go to the first in code-unit order", () => {
    const cats = [["x", "y", "y"], ["x", "x", "z"], ["z", "y", "z"], ["y", "x", "y"]].flatMap((xs, i) => xs.map((x, run) => cell("a", `r${i}`, run, x)));
    const agg = aggregateEvaluator(cats, "a", { name: "m", kind: "categorical", higherIsBetter: true });
    expect(agg).toEqual({ evaluator: "m", kind: "categorical", records: 4, value: "y", counts: { y: 2, x: 1, z: 1 } });
    expect(mode(["b", "a", "b", "a"])).toBe("a");
  });
  test("one run: no within-record variance", () => {
    expect(varianceSplit([[1], [0]])).toEqual({ withinRecords: null, ofRecordMeans: 0.5, betweenRecords: null, shareBetweenRecords: null });
    expect(scoreKind([true, false, null])).toBe("boolean");
    expect(scoreKind([true, 0.5])).toBe("numeric");
  });
  test("failed cells and missing scores are left out", () => {
    const withError: ScoredCell[] = [...cells, { variant: "a", record: "r4", run: 0, scores: {}, error: "HTTP 500" }];
    expect(aggregateEvaluator(withError, "a", numeric).records).toBe(3);
  });
});

describe("paired comparison", () => {
  const pass: EvaluatorInfo = { name: "m", kind: "boolean", higherIsBetter: true };
  // control passes r0..r5, variant passes r2..r9: b = 2 (r0, r1), c = 4 (r6..r9)
  const cells = Array.from({ length: 10 }, (_, i) => [cell("c", `r${i}`, 0, i < 6), cell("v", `r${i}`, 0, i >= 2)]).flat();
  test("McNemar on discordant records, win/tie/loss, Holm of one is itself", () => {
    const [vs] = compareVariants(cells, "c", ["c", "v"], [pass]);
    const e = vs!.evaluators[0]!;
    expect(e.primary).toMatchObject({ test: "mcnemar", statistic: 2, method: "exact", n: 6 });
    expect(e.primary.pValue).toBeCloseTo(0.6875, 14); // binomtest(2, 6)
    expect([e.wins, e.ties, e.losses]).toEqual([4, 4, 2]);
    expect(e.holmPValue).toBe(e.primary.pValue);
    expect(e.control).toBe(0.6);
    expect(e.variant).toBe(0.8);
    expect(e.difference.estimate).toBeCloseTo(0.2, 15);
  });
  test("lower-is-better metrics count a smaller value as a win", () => {
    const lat: EvaluatorInfo = { name: "m", kind: "numeric", higherIsBetter: false };
    const cs = [cell("c", "a", 0, 100), cell("v", "a", 0, 80), cell("c", "b", 0, 100), cell("v", "b", 0, 120)];
    const e = compareVariants(cs, "c", ["v"], [lat])[0]!.evaluators[0]!;
    expect([e.wins, e.ties, e.losses]).toEqual([1, 0, 1]);
  });
});

describe("non-inferiority gate", () => {
  const rule = [{ metric: "m", margin: 0.1 }];
  const base = Array.from({ length: 20 }, (_, i) => cell("v", `r${i}`, 0, 0.5 + (i % 5) * 0.1));
  test("a small dip inside the noise passes; a clear drop fails; lower-is-better reads the upper bound", () => {
    const dip = base.map((c, i) => cell("v", c.record, 0, (c.scores.m!.value as number) + (i % 2 === 0 ? -0.05 : 0.03)));
    const [ok] = gate(dip, base, ["v"], [numeric], rule);
    expect(ok!.difference.estimate).toBeCloseTo(-0.01, 12);
    expect(ok!.pass).toBe(true);
    const drop = base.map((c) => cell("v", c.record, 0, (c.scores.m!.value as number) - 0.2));
    expect(gate(drop, base, ["v"], [numeric], rule)[0]!.pass).toBe(false);
    const up = base.map((c) => cell("v", c.record, 0, (c.scores.m!.value as number) + 0.2));
    const [lat] = gate(up, base, ["v"], [{ ...numeric, higherIsBetter: false }], rule);
    expect(lat!.bound).toBeCloseTo(0.2, 12);
    expect(lat!.pass).toBe(false);
  });
  test("no shared record fails with a reason", () => {
    const [c] = gate([cell("v", "x", 0, 1)], base, ["v"], [numeric], rule);
    expect(c).toMatchObject({ pass: false, pairs: 0, reason: "no record of v was scored in both runs" });
  });
});
