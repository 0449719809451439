// The results tables are kept by triggers as events are stored, in whatever order and grouping
// they arrive: these tests store the same events in other orders, twice, and late, and expect
// the exact numbers of the events stored at once — and of the migration's backfill over them.
import { describe, expect, test } from "vitest";
import { aggregateRows, backfillSql, type VariantAggregates } from "../src/index.ts";
import { emptyArchive, ev, exposure, results, store, T0, type Ev } from "./archive.ts";
import type { DatabaseSync } from "node:sqlite";

const DAY = 86_400_000;
const exec = (subject: string, variant: string | null, latencyMs: number, cost: number, ts: number, fields: Ev = {}) => ev(subject, "execution", { variant, latencyMs, ttftMs: latencyMs / 10, cost, ...fields }, ts);
const of = (db: DatabaseSync) => aggregateRows(results(db, "e", "f", "exp"));
const byVariant = (db: DatabaseSync): Record<string, VariantAggregates> => Object.fromEntries(of(db).map((v) => [v.variant, v]));

/** Every results table's rows, sorted: what the triggers built, to compare with another build. */
function tables(db: DatabaseSync): Record<string, unknown[]> {
  const names = ["subject_results", "subject_custom", "call_histogram", "daily_cost", "exposure_configs"];
  return Object.fromEntries(names.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4, 5, 6`).all()]));
}

/** The migration's backfill, run over the same events, builds the tables the triggers built. */
function expectBackfillAgrees(db: DatabaseSync): void {
  const folded = tables(db);
  for (const t of Object.keys(folded)) db.exec(`DELETE FROM ${t}`);
  for (const sql of backfillSql()) db.exec(sql);
  expect(tables(db)).toEqual(folded);
}

describe("the results tables, folded as events arrive", () => {
  test("calls and feedback stored before their exposure count once it arrives; a redelivered batch counts once", () => {
    const db = emptyArchive();
    const calls = [exec("a", "small", 100, 2, T0 + 10), exec("a", "small", 300, 4, T0 + 20), ev("a", "feedback", { variant: "small", rating: "up" }, T0 + 30)];
    store(db, calls);
    expect(of(db)).toEqual([]);
    const seen = exposure("a", "small", T0);
    store(db, [seen]);
    store(db, [...calls, seen]); // redelivered: every id is known, nothing is folded again
    const { small } = byVariant(db);
    expect(small!.subjects).toBe(1);
    expect(small!.latency).toEqual({ n: 1, sumX: 400, sumY: 2, sumXX: 160_000, sumYY: 4, sumXY: 800 });
    expect(small!.cost).toEqual({ n: 1, sumX: 6, sumY: 2, sumXX: 36, sumYY: 4, sumXY: 12 });
    expect(small!.thumbsUp).toEqual({ n: 1, sumX: 1, sumY: 1, sumXX: 1, sumYY: 1, sumXY: 1 });
    expect(small!.costPerDay).toBe(6);
    expect(db.prepare("SELECT SUM(n) AS n FROM call_histogram WHERE measure = 'latency'").get()).toEqual({ n: 2 });
    expectBackfillAgrees(db);
  });

  test("an earlier exposure arriving late moves the subject to its variant, with every call since, out of the other's histogram and daily cost", () => {
    const db = emptyArchive();
    store(db, [exposure("a", "small", T0 + 100), exec("a", "small", 100, 1, T0 + 200), exec("a", "large", 900, 8, T0 + 50, { assignmentId: "early" })]);
    store(db, [exposure("b", "small", T0 + 100), exec("b", "small", 500, 1, T0 + DAY + 200)]);
    expect(byVariant(db).small!.latency).toMatchObject({ n: 2, sumX: 600, sumY: 2 });
    store(db, [exposure("a", "large", T0, { assignmentId: "early" })]);
    const { small, large } = byVariant(db);
    expect([small!.subjects, large!.subjects]).toEqual([1, 1]);
    expect(large!.latency).toEqual({ n: 1, sumX: 1000, sumY: 2, sumXX: 1_000_000, sumYY: 4, sumXY: 2000 });
    expect(large!.firstExposure).toBe(T0);
    expect(large!.costPerDay).toBe(9);
    expect(small!.latency).toEqual({ n: 1, sumX: 500, sumY: 1, sumXX: 250_000, sumYY: 1, sumXY: 500 });
    expect(small!.costPerDay).toBe(0.5); // 1 over the two days from b's exposure to b's call
    expect(db.prepare("SELECT variant, SUM(n) AS n FROM call_histogram WHERE measure = 'ttft' GROUP BY variant ORDER BY variant").all()).toEqual([{ variant: "large", n: 2 }, { variant: "small", n: 1 }]);
    expect(db.prepare("SELECT variant, day, calls, cost FROM daily_cost ORDER BY variant, day").all()).toEqual([
      { variant: "large", day: Math.floor(T0 / DAY), calls: 2, cost: 9 },
      { variant: "small", day: Math.floor(T0 / DAY) + 1, calls: 1, cost: 1 },
    ]);
    expectBackfillAgrees(db);
  });

  test("an exposure with a new assignmentId makes the events of that assignment count, however late it comes", () => {
    const db = emptyArchive();
    store(db, [exposure("a", "small", T0), ev("a", "outcome", { variant: "small", assignmentId: "later", success: true }, T0 + 50), ev("a", "outcome", { variant: "large", assignmentId: "later", success: false }, T0 + 60)]);
    expect(byVariant(db).small!.success).toMatchObject({ n: 0, sumY: 0 });
    store(db, [exposure("a", "small", T0 + 40, { assignmentId: "later" })]);
    expect(byVariant(db).small!.success).toEqual({ n: 1, sumX: 1, sumY: 1, sumXX: 1, sumYY: 1, sumXY: 1 });
    expectBackfillAgrees(db);
  });

  test("shadow calls count nowhere: not in the sums, the histograms or the daily cost", () => {
    const db = emptyArchive();
    store(db, [exposure("a", "small", T0), exec("a", "small", 100, 1, T0 + 1), exec("a", "small", 9000, 50, T0 + 2, { shadow: true })]);
    store(db, [exec("a", "large", 7000, 70, T0 + 3, { shadow: true })]);
    const { small } = byVariant(db);
    expect([small!.errors.sumY, small!.latency.sumX, small!.costPerDay]).toEqual([1, 100, 1]);
    expect(db.prepare("SELECT measure, bucket, n FROM call_histogram ORDER BY measure").all().map((r) => (r as { n: number }).n)).toEqual([1, 1]);
    expectBackfillAgrees(db);
  });

  test("custom events: tagged with the flag or untagged, from the first exposure on — including those stored before it", () => {
    const db = emptyArchive();
    const custom = (subject: string, name: string, value: number, ts: number, flag: string | undefined) => ev(subject, "custom", { name, value, flag }, ts);
    store(db, [custom("a", "copied", 2, T0 + 10, undefined), custom("a", "copied", 3, T0 + 20, "f"), custom("a", "copied", 100, T0 + 30, "other"), custom("a", "copied", 100, T0 - 10, undefined)]);
    store(db, [exposure("a", "small", T0), exposure("b", "large", T0)]);
    store(db, [custom("b", "regenerated", 1, T0 + 5, undefined), custom("b", "regenerated", 1, T0 + 6, "f"), custom("b", "copied", 4, T0 + 7, undefined)]);
    const { small, large } = byVariant(db);
    expect(small!.custom).toEqual({ copied: { subjects: 1, events: 2, sum: 5, sumSquares: 25 } });
    expect(large!.custom).toEqual({ copied: { subjects: 1, events: 1, sum: 4, sumSquares: 16 }, regenerated: { subjects: 1, events: 2, sum: 2, sumSquares: 4 } });
    expectBackfillAgrees(db);
  });

  test("any order and grouping of the same events gives the same tables, and the backfill's", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const events: Ev[] = [];
    for (let s = 0; s < 12; s++) {
      const subject = `s${s}`;
      const variants = ["small", "large"] as const;
      for (let k = 0; k < 3; k++) events.push(exposure(subject, variants[Math.floor(random() * 2)]!, T0 + Math.floor(random() * 1000), { assignmentId: `a${k % 2}` }));
      for (let k = 0; k < 8; k++) {
        const assignmentId = `a${Math.floor(random() * 3)}`;
        // Integer values: sums in another order are then the same doubles.
        const latencyMs = 1 + Math.floor(random() * 2000);
        const ts = T0 + Math.floor(random() * 2 * DAY);
        if (k % 3 === 0) events.push(ev(subject, "feedback", { variant: null, assignmentId, rating: random() < 0.5 ? "up" : "down" }, ts));
        else events.push(exec(subject, random() < 0.2 ? "large" : null, latencyMs, Math.floor(random() * 9), ts, { assignmentId, shadow: random() < 0.1, ttftMs: Math.floor(latencyMs / 10) }));
      }
      events.push(ev(subject, "custom", { name: "copied", value: 1, flag: random() < 0.5 ? "f" : undefined }, T0 + Math.floor(random() * 1000)));
    }
    const once = emptyArchive();
    store(once, events);
    const shuffled = emptyArchive();
    const order = [...events].sort(() => random() - 0.5);
    for (let i = 0; i < order.length; i += 7) store(shuffled, order.slice(0, i + 7)); // overlapping batches: redeliveries too
    expect(tables(shuffled)).toEqual(tables(once));
    expectBackfillAgrees(once);
    expect(of(once).map((v) => v.subjects).reduce((a, b) => a + b, 0)).toBe(12);
  });
});
