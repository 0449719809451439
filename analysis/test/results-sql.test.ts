// The results SQL is data any SQLite can run: here node:sqlite over a table built from the
// package's own DDL, with events inserted through the column expressions the Worker uses. The
// latency quantiles (SQL order statistics + quantileOf) are checked against numpy.quantile.
import { DatabaseSync } from "node:sqlite";
import { describe, expect, test } from "vitest";
import { aggregateRows, analyze, columnSql, EVENT_COLUMNS, EXPOSED_ALLOCATIONS_SQL, indexDdl, RELATIVE_ERROR, RESULTS_SQL, resultTablesDdl, tableDdl, type Quantiles, type ResultRows, type Row } from "../src/index.ts";
import { expectClose } from "./stats/expect-close.ts";
import quantileFx from "./stats/fixtures/quantile.json" with { type: "json" };

const T0 = Date.UTC(2026, 10, 20, 12);
type Ev = Record<string, unknown>;

function archive(events: Ev[]): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec(tableDdl());
  for (const index of ["exposures", "metrics", "subject"] as const) db.exec(indexDdl(index));
  for (const sql of resultTablesDdl()) db.exec(sql);
  const insert = db.prepare(`INSERT OR IGNORE INTO events (${EVENT_COLUMNS.map((c) => c.name).join(", ")}) SELECT ${EVENT_COLUMNS.map(columnSql).join(", ")} FROM (SELECT jsonb(?1) AS value, ?2 AS received)`);
  for (const e of events) insert.run(JSON.stringify(e), T0);
  return db;
}

function results(db: DatabaseSync, env: string, flag: string, allocation: string): ResultRows {
  const run = (sql: string) => db.prepare(sql).all(env, flag, allocation) as Row[];
  return { variants: run(RESULTS_SQL.variants), custom: run(RESULTS_SQL.custom), quantiles: run(RESULTS_SQL.quantiles), dailyCost: run(RESULTS_SQL.dailyCost) };
}

/** A quantile read from the histograms: within RELATIVE_ERROR (< 1%) of the exact one, relative to it. */
function expectQuantiles(actual: Quantiles, exact: { p50: number; p95: number }): void {
  for (const q of ["p50", "p95"] as const) expect(Math.abs(actual[q]! - exact[q]), q).toBeLessThanOrEqual(RELATIVE_ERROR * Math.abs(exact[q]));
}

let seq = 0;
const ev = (subject: string, type: string, fields: Ev, ts = T0 + ++seq): Ev => ({ id: crypto.randomUUID(), type, env: "e", subject, ts, flag: "f", assignmentId: "x", ...fields });
const exposure = (subject: string, variant: string, ts?: number) => ev(subject, "exposure", { allocation: "exp", variant, version: 1 }, ts);

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

  test("each statement reads the events table only through the partial indexes its type predicates name", () => {
    const db = archive([]);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...["e", "f", "exp"].slice(0, sql.includes("?3") ? 3 : 2)) as { detail: string }[]).map((r) => r.detail).join(" | ");
    const reads = (sql: string) => [...plan(sql).matchAll(/(SCAN|SEARCH) (events|e|a)\b( USING (COVERING )?INDEX (\w+))?/g)].map((m) => m[5] ?? `${m[1]} without an index`);
    expect(reads(RESULTS_SQL.variants)).toEqual(["events_exposures", "events_metrics", "events_exposures"]);
    expect(reads(RESULTS_SQL.custom)).toEqual(["events_exposures", "events_subject"]);
    expect(reads(RESULTS_SQL.quantiles)).toEqual(["events_exposures", "events_metrics", "events_exposures"]);
    expect(reads(RESULTS_SQL.dailyCost)).toEqual(["events_exposures", "events_metrics", "events_exposures"]);
    expect(reads(EXPOSED_ALLOCATIONS_SQL)).toEqual(["events_exposures"]);
  });
});
