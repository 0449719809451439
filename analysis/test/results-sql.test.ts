// The results SQL is data any SQLite can run: here node:sqlite over tables built from the
// package's own DDL (archive.ts), with events inserted through the column expressions the Worker
// uses. The latency quantiles (log-histogram + quantileOf) are checked against numpy.quantile,
// within the histogram's 1% bound.
import { describe, expect, test } from "vitest";
import { aggregateRows, analyze, ANALYSED_CONFIGS_SQL, EXPOSED_ALLOCATIONS_SQL, guardrailSql, RELATIVE_ERROR, RESULTS_SQL } from "../src/index.ts";
import { archive, emptyArchive, ev, expectQuantiles, exposure, results, T0 } from "./archive.ts";
import { expectClose } from "./stats/expect-close.ts";
import quantileFx from "./stats/fixtures/quantile.json" with { type: "json" };

describe("the results SQL on node:sqlite", () => {
  test("per subject first: a heavy user counts once, the first exposure decides, events before it do not count", () => {
    const db = archive([
      ev("a1", "execution", { variant: "small", latencyMs: 9999, cost: 5 }), // before the exposure
      exposure("a1", "small"), exposure("a1", "small"),
      ev("a1", "execution", { variant: "small", latencyMs: 100, cost: 0.01 }), ev("a1", "execution", { variant: "small", latencyMs: 300, cost: 0.01 }),
      ev("a1", "feedback", { variant: "small", rating: "up" }),
      exposure("a2", "small"), ev("a2", "execution", { variant: "small", latencyMs: 200, error: "upstream 529" }),
      exposure("b1", "large", T0 - 1000), exposure("b1", "small"), ev("b1", "custom", { name: "copied", value: 2, flag: undefined }),
    ]);
    const [large, small] = aggregateRows(results(db, "e", "f", "exp"));
    expect([large!.variant, large!.subjects, small!.variant, small!.subjects]).toEqual(["large", 1, "small", 2]);
    expect(small!.latency).toEqual({ n: 2, sumX: 600, sumY: 3, sumXX: 400 ** 2 + 200 ** 2, sumYY: 4 + 1, sumXY: 400 * 2 + 200 });
    expectQuantiles(small!.latencyQuantiles, { p50: 200, p95: 290 });
    expect(small!.errors).toMatchObject({ n: 2, sumX: 1, sumY: 3 });
    expect(small!.thumbsUp).toMatchObject({ n: 1, sumX: 1, sumY: 1 });
    expect(small!.feedbackSubjects).toBe(1);
    expect(small!.costPerDay).toBeCloseTo(0.02, 12);
    expect(large!.custom).toEqual({ copied: { subjects: 1, events: 1, sum: 2, sumSquares: 4 } });
    expect(large!.latencyQuantiles).toEqual({ p50: null, p95: null });
    expect(db.prepare(EXPOSED_ALLOCATIONS_SQL).all("e", "f")).toEqual([{ allocation: "exp", subjects: 3 }]);
  });

  test("a feedback, execution or outcome counts only with the assignmentId (and variant) of one of the subject's exposures", () => {
    const db = archive([
      exposure("a1", "small"), ev("a1", "exposure", { allocation: "exp", variant: "small", version: 2, assignmentId: "later" }),
      ev("a1", "feedback", { variant: "small", rating: "up" }), // x: the first exposure's
      ev("a1", "feedback", { variant: null, assignmentId: "later", rating: "up" }), // another exposure's, no variant named
      ev("a1", "feedback", { variant: "small", assignmentId: "forged", rating: "down" }), // no exposure has it
      ev("a1", "feedback", { variant: "large", rating: "down" }), // names another arm than its assignment
      ev("a1", "execution", { variant: "small", assignmentId: "forged", latencyMs: 5000, cost: 9 }),
      ev("a1", "outcome", { variant: "small", assignmentId: "forged", success: false }),
      ev("a1", "execution", { variant: "small", latencyMs: 100, cost: 0.01 }),
      ev("b1", "exposure", { allocation: "other", variant: "small", version: 1, assignmentId: "elsewhere" }), exposure("b1", "small"),
      ev("b1", "outcome", { variant: "small", assignmentId: "elsewhere", success: false }), // an exposure of another allocation
      ev("b1", "outcome", { variant: "small", success: true }),
    ]);
    const [small] = aggregateRows(results(db, "e", "f", "exp"));
    expect(small!.thumbsUp).toMatchObject({ n: 1, sumX: 2, sumY: 2 });
    expect(small!.latency).toMatchObject({ n: 1, sumX: 100, sumY: 1 });
    expectQuantiles(small!.latencyQuantiles, { p50: 100, p95: 100 });
    expect(small!.costPerDay).toBeCloseTo(0.01, 12);
    expect(small!.success).toMatchObject({ n: 1, sumX: 1, sumY: 1 });
  });

  test("router calls: a fallback counts in the assigned arm, fallback and truncation rates are per call, shadow calls count nowhere", () => {
    const db = archive([
      exposure("a1", "small"),
      ev("a1", "execution", { variant: "small", servedVariant: "large", fallback: true, latencyMs: 100, ttftMs: 10, cachedInputTokens: 50, reasoningTokens: 5, cost: 0.01 }),
      ev("a1", "execution", { variant: "small", truncated: true, usageSource: "partial", latencyMs: 300, ttftMs: 30, cachedInputTokens: 0, reasoningTokens: 15 }),
      ev("a1", "execution", { variant: "small", shadow: true, fallback: true, truncated: true, latencyMs: 9000, ttftMs: 900, cachedInputTokens: 999, cost: 5 }),
      exposure("a2", "small"), ev("a2", "execution", { variant: "small", fallback: false, truncated: false, latencyMs: 200, ttftMs: 20 }),
      exposure("b1", "large"), ev("b1", "execution", { variant: "large", shadow: true, latencyMs: 50, fallback: true }),
    ]);
    const [large, small] = aggregateRows(results(db, "e", "f", "exp"));
    expect(small!.fallbacks).toEqual({ n: 2, sumX: 1, sumY: 3, sumXX: 1, sumYY: 5, sumXY: 2 });
    expect(small!.truncations).toEqual({ n: 2, sumX: 1, sumY: 3, sumXX: 1, sumYY: 5, sumXY: 2 });
    expect(small!.cachedInputTokens).toEqual({ n: 1, sumX: 50, sumY: 2, sumXX: 2500, sumYY: 4, sumXY: 100 });
    expect(small!.reasoningTokens).toEqual({ n: 1, sumX: 20, sumY: 2, sumXX: 400, sumYY: 4, sumXY: 40 });
    expectQuantiles(small!.latencyQuantiles, { p50: 200, p95: 290 });
    expectQuantiles(small!.ttftQuantiles, { p50: 20, p95: 29 });
    expect(small!.costPerDay).toBeCloseTo(0.01, 12);
    expect([large!.subjects, large!.errors.sumY, large!.fallbacks.sumX, large!.latencyQuantiles.p50, large!.ttftQuantiles.p50]).toEqual([1, 0, 0, null, null]);
    const analysis = analyze({ control: "small", weights: { small: 1, large: 1 }, experiment: { minSubjects: 2 }, variants: [large!, small!] });
    const value = (key: string) => analysis.variants.find((v) => v.variant === "small")!.metrics[key]!.value;
    expect([value("fallback_rate"), value("truncation_rate"), value("cached_input_tokens"), value("reasoning_tokens")]).toEqual([1 / 3, 1 / 3, 25, 10]);
    expect(analysis.variants.find((v) => v.variant === "small")!.ttft).toEqual(small!.ttftQuantiles);
  });

  test.each(quantileFx.cases)("latency p50 and p95 of $sorted.length calls are numpy.quantile's", ({ sorted, quantiles }) => {
    // Reversed, so the SQL has to sort; one subject, one call per value.
    const db = archive([exposure("s", "v"), ...[...sorted].reverse().map((latencyMs) => ev("s", "execution", { variant: "v", latencyMs }))]);
    const [variant] = aggregateRows(results(db, "e", "f", "exp"));
    const numpy = (q: number) => quantiles.find((x) => x.q === q)!.value;
    expectClose(variant!.latencyQuantiles.p50!, numpy(0.5), RELATIVE_ERROR, 1e-300, "p50");
    expectClose(variant!.latencyQuantiles.p95!, numpy(0.95), RELATIVE_ERROR, 1e-300, "p95");
  });

  test("each statement reads only the results tables, by their primary key: no event is read", () => {
    const db = emptyArchive();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...["e", "f", "exp", "v"].slice(0, Math.max(...[...sql.matchAll(/\?(\d)/g)].map((m) => Number(m[1]))))) as { detail: string }[]).map((r) => r.detail);
    const reads = (sql: string) => plan(sql).filter((d) => /^(SCAN|SEARCH)/.test(d)).map((d) => d.replace(/ \(.*$/, ""));
    expect(reads(RESULTS_SQL.variants)).toEqual(["SEARCH subject_results USING PRIMARY KEY"]);
    expect(reads(RESULTS_SQL.custom)).toEqual(["SEARCH subject_custom USING PRIMARY KEY"]);
    expect(reads(RESULTS_SQL.quantiles)).toEqual(["SEARCH call_histogram USING PRIMARY KEY"]);
    expect(reads(RESULTS_SQL.dailyCost)).toEqual(["SEARCH daily_cost USING PRIMARY KEY"]);
    expect(reads(EXPOSED_ALLOCATIONS_SQL)).toEqual(["SEARCH subject_results USING PRIMARY KEY"]);
    expect(reads(ANALYSED_CONFIGS_SQL)).toEqual(["SEARCH exposure_configs USING PRIMARY KEY"]);
    expect(reads(guardrailSql("latency_ms").histogram)).toEqual(["SEARCH call_histogram USING PRIMARY KEY"]);
  });
});
