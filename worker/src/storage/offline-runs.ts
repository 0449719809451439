/**
 * D1 rows of offline experiment runs (migration 0011_offline_runs.sql).
 *
 * @module
 */

/** What is stored for one posted run. */
export interface OfflineRunInput {
  env: string;
  flag: string;
  createdBy: string;
  control: string;
  variants: string[];
  records: number;
  runs: number;
  gatePass: boolean | null;
  /** The posted results, as JSON text. */
  body: string;
}

/** One stored run as the list answers it. */
export interface OfflineRun {
  id: number;
  createdAt: string;
  createdBy: string;
  control: string;
  variants: string[];
  records: number;
  runs: number;
  gatePass: boolean | null;
  results: unknown;
}

/**
 * Stores a run and answers its id and when.
 *
 * @example
 * const { id } = await insertOfflineRun(env.DB, run);
 */
export async function insertOfflineRun(db: D1Database, run: OfflineRunInput): Promise<{ id: number; env: string; flag: string; createdAt: string; createdBy: string }> {
  const now = Date.now();
  const row = await db
    .prepare("INSERT INTO offline_runs (env, flag, created_at, created_by, control, variants, records, runs, gate_pass, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
    .bind(run.env, run.flag, now, run.createdBy, run.control, JSON.stringify(run.variants), run.records, run.runs, run.gatePass === null ? null : run.gatePass ? 1 : 0, run.body)
    .first<{ id: number }>();
  return { id: row!.id, env: run.env, flag: run.flag, createdAt: new Date(now).toISOString(), createdBy: run.createdBy };
}

interface Row {
  id: number;
  created_at: number;
  created_by: string;
  control: string;
  variants: string;
  records: number;
  runs: number;
  gate_pass: number | null;
  body: string;
}

/**
 * The newest `limit` runs of a flag in an env.
 *
 * @example
 * const runs = await listOfflineRuns(env.DB, "production", "chat-model", 20);
 */
export async function listOfflineRuns(db: D1Database, env: string, flag: string, limit: number): Promise<OfflineRun[]> {
  const { results } = await db.prepare("SELECT * FROM offline_runs WHERE env = ? AND flag = ? ORDER BY id DESC LIMIT ?").bind(env, flag, limit).all<Row>();
  return results.map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
    control: r.control,
    variants: JSON.parse(r.variants) as string[],
    records: r.records,
    runs: r.runs,
    gatePass: r.gate_pass === null ? null : r.gate_pass === 1,
    results: JSON.parse(r.body) as unknown,
  }));
}
