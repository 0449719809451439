/**
 * The history of an experiment's sequential looks in D1 (table look_history, migration 0010):
 * at each look, every comparison's point estimate (treatment − control, in the metric's unit) and
 * the always-valid interval and p-value after that look. The looks cron appends; the dashboard
 * reads it to draw the cumulative lift over time (`GET /v1/results/:env/:flag/looks`).
 *
 * @module
 */
import type { MetricComparison } from "@edgeflag/analysis";
import type { LookScope } from "./looks.ts";

/** One comparison at one look. */
export interface LookPoint {
  variant: string;
  metric: string;
  /** When the look was taken (ISO 8601). */
  at: string;
  looks: number;
  control: number;
  estimate: number;
  lower: number;
  upper: number;
  pValue: number;
}

/** ±Infinity does not survive D1's JSON: the largest finite doubles stand for it. */
const finite = (x: number): number => (x === Infinity ? Number.MAX_VALUE : x === -Infinity ? -Number.MAX_VALUE : x);

/**
 * Appends the look taken at `at` (in cadence slot `slot`) for every sequential comparison; a
 * comparison that already has a row for the slot keeps it.
 *
 * @example
 * await appendLookHistory(env.DB, scope, analysis.comparisons, { at, slot });
 */
export async function appendLookHistory(db: D1Database, scope: LookScope, comparisons: readonly MetricComparison[], when: { at: number; slot: number }): Promise<void> {
  const rows = comparisons.filter((c) => c.sequential !== null);
  if (rows.length === 0) return;
  await db.batch(
    rows.map((c) =>
      db
        .prepare("INSERT OR IGNORE INTO look_history (env, flag, allocation, control, variant, metric, slot, at, looks, control_value, estimate, lower, upper, p_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
        .bind(scope.env, scope.flag, scope.allocation, scope.control, c.variant, c.metric, when.slot, when.at, c.sequential!.looks, c.control, c.absolute.estimate, finite(c.sequential!.absolute.lower), finite(c.sequential!.absolute.upper), c.sequential!.pValue),
    ),
  );
}

/**
 * Every recorded look of an experiment, oldest first.
 *
 * @example
 * const points = await readLookHistory(env.DB, { env: "production", flag: "chat-model", allocation: "experiment", control: "gpt-35" });
 */
export async function readLookHistory(db: D1Database, scope: LookScope): Promise<LookPoint[]> {
  const { results } = await db
    .prepare("SELECT variant, metric, at, looks, control_value, estimate, lower, upper, p_value FROM look_history WHERE env = ?1 AND flag = ?2 AND allocation = ?3 AND control = ?4 ORDER BY slot, variant, metric")
    .bind(scope.env, scope.flag, scope.allocation, scope.control)
    .all<{ variant: string; metric: string; at: number; looks: number; control_value: number; estimate: number; lower: number; upper: number; p_value: number }>();
  const unbounded = (x: number) => (Math.abs(x) === Number.MAX_VALUE ? Math.sign(x) * Infinity : x);
  return results.map((r) => ({ variant: r.variant, metric: r.metric, at: new Date(r.at).toISOString(), looks: r.looks, control: r.control_value, estimate: r.estimate, lower: unbounded(r.lower), upper: unbounded(r.upper), pValue: r.p_value }));
}
