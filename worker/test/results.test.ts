// GET /v1/results/:env/:flag inside workerd: events seeded in D1, the config published through
// the admin API, and every figure checked against numbers worked out by hand.
import { describe, expect, it } from "vitest";
import { compareRatios, compareProportions, sampleRatioMismatch } from "@edgeflag/analysis";
import { ADMIN_TOKEN, call, errorOf, publish } from "./helpers.ts";
import { DAY, T0, config, ev, exec, expectQuantiles, exposure, results, seed, thumbs } from "./results-helpers.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Body = any;

describe("per subject first, then per variant", () => {
  const E = "results-hand";
  it("counts a heavy user once, attributes by first exposure, and works out every metric", async () => {
    await publish(E, config({ minSubjects: 3 }));
    await seed([
      exposure(E, "a1", "small"), exposure(E, "a1", "small"),
      exec(E, "a1", "small", { latencyMs: 100, ttftMs: 10, inputTokens: 10, outputTokens: 5, cost: 0.01 }),
      exec(E, "a1", "small", { latencyMs: 300, ttftMs: 30, inputTokens: 30, outputTokens: 15, cost: 0.01 }),
      thumbs(E, "a1", "small", "up"),
      exposure(E, "a2", "small"), exec(E, "a2", "small", { latencyMs: 200, error: "upstream 529" }), thumbs(E, "a2", "small", "down"),
      exposure(E, "a3", "small"),
      exposure(E, "a4", "small"), ev(E, "a4", "outcome", { flag: "model", variant: "small", assignmentId: "x", success: true }),
      exposure(E, "b1", "large"), ...Array.from({ length: 50 }, () => exec(E, "b1", "large", { latencyMs: 1000 })),
      exposure(E, "b2", "large"), exec(E, "b2", "large", { latencyMs: 100 }), thumbs(E, "b2", "large", "up"), thumbs(E, "b2", "large", "up"),
      ev(E, "b3", "custom", { name: "copied", value: 5 }, T0 - DAY), // before the exposure, untagged: not counted
      exposure(E, "b3", "large"), ev(E, "b3", "custom", { name: "copied", value: 2 }),
      exposure(E, "b4", "large", T0 - 1000), exposure(E, "b4", "small"), // first exposure decides: large
      exposure(E, "other", "small"), // another allocation's exposures are not this experiment's
    ].map((e) => (e.subject === "other" ? { ...e, allocation: "holdout" } : e)));

    const res = await results(E);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body: Body = await res.json();
    expect(body).toMatchObject({ env: E, flag: "model", allocation: "exp", control: "small", configVersion: 1, status: "ok" });
    const [small, large] = body.variants;
    expect([small.variant, small.subjects, small.control, large.variant, large.subjects]).toEqual(["small", 4, true, "large", 4]);
    expect(small.metrics.latency_ms).toEqual({ value: 200, subjects: 2 }); // (100 + 300 + 200) / 3 calls
    expect(large.metrics.latency_ms.value).toBeCloseTo(50_100 / 51, 12);
    expect(small.metrics.thumbs_up_rate).toEqual({ value: 0.5, subjects: 2 });
    expect(large.metrics.thumbs_up_rate).toEqual({ value: 1, subjects: 1 });
    expect(small.metrics.feedback_rate).toEqual({ value: 0.5, subjects: 4 });
    expect(large.metrics.feedback_rate).toEqual({ value: 0.25, subjects: 4 });
    expect(small.metrics.error_rate.value).toBeCloseTo(1 / 3, 12);
    expect(small.metrics.success_rate).toEqual({ value: 1, subjects: 1 });
    expect(small.metrics.ttft_ms).toEqual({ value: 20, subjects: 1 });
    expect(small.metrics.input_tokens).toEqual({ value: 20, subjects: 1 });
    expect(small.metrics.output_tokens).toEqual({ value: 10, subjects: 1 });
    expect(small.metrics.cost_per_call).toEqual({ value: 0.01, subjects: 1 });
    expect(small.metrics.cost_per_subject).toEqual({ value: 0.005, subjects: 4 });
    expect(large.metrics.cost_per_subject).toEqual({ value: null, subjects: 0 }); // no costs recorded
    expect(small.costPerDay).toBeCloseTo(0.02, 12);
    expect(large.metrics["custom:copied:rate"]).toEqual({ value: 0.25, subjects: 4 });
    expect(large.metrics["custom:copied:value"]).toEqual({ value: 0.5, subjects: 4 });
    expect(small.metrics["custom:copied:rate"]).toEqual({ value: 0, subjects: 4 });
    expectQuantiles(small.latency, { p50: 200, p95: 290 });
    expectQuantiles(large.latency, { p50: 1000, p95: 1000 });

    // The comparisons are the statistics module's, fed the per-subject sums.
    const latency = body.comparisons.find((c: Body) => c.metric === "latency_ms" && c.variant === "large");
    const expected = compareRatios({ n: 2, sumX: 600, sumY: 3, sumXX: 400 ** 2 + 200 ** 2, sumYY: 4 + 1, sumXY: 400 * 2 + 200 }, { n: 2, sumX: 50_100, sumY: 51, sumXX: 50_000 ** 2 + 100 ** 2, sumYY: 2500 + 1, sumXY: 50_000 * 50 + 100 }, { alpha: 0.05, higherIsBetter: false, prior: null });
    expect(latency.pValue).toBeCloseTo(expected.pValue, 12);
    expect(latency.absolute).toEqual(expected.absolute);
    expect(latency.higherIsBetter).toBe(false);
    const feedback = body.comparisons.find((c: Body) => c.metric === "feedback_rate");
    expect(feedback.pValue).toBeCloseTo(compareProportions({ n: 4, successes: 2 }, { n: 4, successes: 1 }).pValue, 12);
    // Holm: the adjusted p-values are never below the raw ones, and the smallest is multiplied by the count.
    const ps = body.comparisons.map((c: Body) => c.pValue);
    const min = Math.min(...ps);
    expect(body.comparisons.find((c: Body) => c.pValue === min).pValueAdjusted).toBeCloseTo(Math.min(1, min * ps.length), 12);
    for (const c of body.comparisons) expect(c.pValueAdjusted).toBeGreaterThanOrEqual(c.pValue);
  });
});

describe("the verdict's guard rails", () => {
  it("not enough data: no comparisons, and the minimum it waits for", async () => {
    const E = "results-few";
    await publish(E, config());
    await seed([exposure(E, "s1", "small"), exposure(E, "s2", "large"), exposure(E, "s3", "large")]);
    const body: Body = await (await results(E)).json();
    expect(body.status).toBe("not_enough_data");
    expect(body.waitingFor).toEqual({ minSubjectsPerVariant: 100, variants: { small: 1, large: 2 } });
    expect(body.comparisons).toEqual([]);
  });

  it("sample-ratio mismatch: 1000 vs 1200 on an even split gives GrowthBook's p = 0.000020079 and a warning", async () => {
    const E = "results-srm";
    await publish(E, config());
    await seed([...Array.from({ length: 1000 }, (_, i) => exposure(E, `s${i}`, "small")), ...Array.from({ length: 1200 }, (_, i) => exposure(E, `l${i}`, "large"))]);
    const body: Body = await (await results(E)).json();
    expect(body.srm.observed).toEqual({ small: 1000, large: 1200 });
    expect(body.srm.expectedShares).toEqual({ small: 0.5, large: 0.5 });
    expect(body.srm.pValue.toPrecision(5)).toBe("0.000020079");
    expect(body.srm.mismatch).toBe(true);
    // Weighted splits are honoured: 1000/1200 against 5:6 is no mismatch.
    await publish(E, config({}, [5, 6]));
    const weighted: Body = await (await results(E)).json();
    expect(weighted.srm.pValue).toBeCloseTo(sampleRatioMismatch([1000, 1200], [5, 6]).pValue, 12);
    expect(weighted.srm.mismatch).toBe(false);
  });
});

describe("review fixes", () => {
  it("events before the subject's first exposure (an earlier experiment of the same flag) are not counted", async () => {
    const E = "results-before";
    await publish(E, config({ minSubjects: 2 }));
    await seed([
      exec(E, "p1", "small", { latencyMs: 9999, cost: 5 }), // October's experiment
      exposure(E, "p1", "small"), exec(E, "p1", "small", { latencyMs: 100 }),
      exposure(E, "p2", "small"), exec(E, "p2", "small", { latencyMs: 300 }),
      exposure(E, "q1", "large"), exposure(E, "q2", "large"),
    ]);
    const body: Body = await (await results(E)).json();
    expect(body.variants[0].metrics.latency_ms).toEqual({ value: 200, subjects: 2 });
    expect(body.variants[0].metrics.cost_per_call).toEqual({ value: null, subjects: 0 });
  });

  it("sums of squares past 2^63 do not overflow into a 500", async () => {
    const E = "results-big";
    await publish(E, config({ minSubjects: 2 }));
    await seed([exposure(E, "b1", "small"), exec(E, "b1", "small", { inputTokens: 10_000_000_000 }), exposure(E, "b2", "small"), exposure(E, "b3", "large"), exposure(E, "b4", "large")]);
    const res = await results(E);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Body).variants[0].metrics.input_tokens.value).toBe(10_000_000_000);
  });
});

describe("errors name the parameter", () => {
  it("needs the admin token", async () => {
    const res = await call("/v1/results/results-hand/model");
    expect(res.status).toBe(401);
  });

  it("an unknown flag is a 404, an unknown control or allocation a 400", async () => {
    const none = await call("/v1/results/results-hand/nope", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(none.status).toBe(404);
    expect(await errorOf(none)).toMatchObject({ code: "FLAG_NOT_FOUND", pointer: "/flag" });
    const control = await results("results-hand", "?control=medium");
    expect(control.status).toBe(400);
    expect(await errorOf(control)).toMatchObject({ code: "UNKNOWN_CONTROL", pointer: "/control" });
    const alloc = await results("results-hand", "?allocation=nope");
    expect(alloc.status).toBe(400);
    expect(await errorOf(alloc)).toMatchObject({ code: "UNKNOWN_ALLOCATION", pointer: "/allocation" });
    const bad = await call("/v1/results/bad%20env/model", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(bad.status).toBe(400);
  });
});

describe("what a result analysed", () => {
  it("names the config versions and the kids that signed them, with their exposures (null kid: a client that did not send it)", async () => {
    const E = "results-configs";
    await publish(E, config());
    const at = (subject: string, version: number, kid?: string, allocation = "exp") =>
      ev(E, subject, "exposure", { flag: "model", allocation, variant: "small", version, assignmentId: "x", ...(kid ? { kid } : {}) });
    await seed([at("s1", 1, "kid-old"), at("s2", 1, "kid-old"), at("s3", 2, "kid-new"), at("s4", 1), at("s5", 3, "kid-new", "holdout")]);
    const body: Body = await (await results(E)).json();
    expect(body.configs).toEqual([
      { version: 1, kid: null, exposures: 1 },
      { version: 1, kid: "kid-old", exposures: 2 },
      { version: 2, kid: "kid-new", exposures: 1 },
    ]);
  });
});
