/**
 * The sequential looks of an experiment in D1 (table sequential_looks): what each comparison's
 * always-valid p-value and interval were after the last look, so the next look can only tighten.
 * Only the looks cron writes them (src/scheduled/looks.ts), at most once per cadence slot;
 * `updated_at` is the scheduled time of the tick that recorded the look.
 *
 * @module
 */
import { lookKey, type Look } from "@edgeflag/analysis";

/** Which experiment, compared with which control. */
export interface LookScope {
  env: string;
  flag: string;
  allocation: string;
  control: string;
}

/**
 * The stored looks of an experiment, by comparison key.
 *
 * @example
 * const previous = await readLooks(env.DB, { env: "production", flag: "chat-model", allocation: "experiment" });
 */
export async function readLooks(db: D1Database, scope: LookScope): Promise<Map<string, Look>> {
  const { results } = await db
    .prepare("SELECT variant, metric, looks, p_value, lower, upper FROM sequential_looks WHERE env = ?1 AND flag = ?2 AND allocation = ?3 AND control = ?4")
    .bind(scope.env, scope.flag, scope.allocation, scope.control)
    .all<{ variant: string; metric: string; looks: number; p_value: number; lower: number; upper: number }>();
  return new Map(results.map((r) => [lookKey(r), { looks: r.looks, pValue: r.p_value, absolute: { estimate: (r.lower + r.upper) / 2, lower: r.lower, upper: r.upper } }]));
}

/**
 * When the last look of an experiment was recorded (ms), or null before its first.
 *
 * @example
 * if ((await lastLookAt(env.DB, scope) ?? -1) >= slotStart) return; // this slot has its look
 */
export async function lastLookAt(db: D1Database, scope: LookScope): Promise<number | null> {
  const row = await db
    .prepare("SELECT MAX(updated_at) AS at FROM sequential_looks WHERE env = ?1 AND flag = ?2 AND allocation = ?3 AND control = ?4")
    .bind(scope.env, scope.flag, scope.allocation, scope.control)
    .first<{ at: number | null }>();
  return row?.at ?? null;
}

/**
 * Stores the looks after this one, recorded at `at`. A comparison whose stored look is from
 * `slotStart` or later keeps it: a tick that runs twice in one cadence slot counts once.
 *
 * @example
 * await writeLooks(env.DB, scope, looks, { at: controller.scheduledTime, slotStart });
 */
export async function writeLooks(db: D1Database, scope: LookScope, looks: ReadonlyMap<string, Look>, when: { at: number; slotStart: number }): Promise<void> {
  if (looks.size === 0) return;
  const statements = [...looks].map(([key, look]) => {
    const [variant, metric] = JSON.parse(key) as [string, string];
    return db
      .prepare(
        `INSERT INTO sequential_looks (env, flag, allocation, control, variant, metric, looks, p_value, lower, upper, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (env, flag, allocation, control, variant, metric) DO UPDATE SET looks = excluded.looks, p_value = excluded.p_value, lower = excluded.lower, upper = excluded.upper, updated_at = excluded.updated_at
         WHERE sequential_looks.updated_at < ?12`,
      )
      .bind(scope.env, scope.flag, scope.allocation, scope.control, variant, metric, look.looks, look.pValue, clampInfinite(look.absolute.lower), clampInfinite(look.absolute.upper), when.at, when.slotStart);
  });
  await db.batch(statements);
}

/** SQLite REAL holds ±Infinity poorly through D1's JSON: store the largest finite doubles instead. */
function clampInfinite(x: number): number {
  return x === Infinity ? Number.MAX_VALUE : x === -Infinity ? -Number.MAX_VALUE : x;
}
