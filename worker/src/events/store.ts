/**
 * Events in D1: one row per event id (INSERT OR IGNORE, so a redelivered or resent event is
 * stored once), columns as in worker/migrations/0001_events.sql. A whole message of events is one
 * statement with one parameter (a JSON array unpacked by SQLite's json_each), not 26 parameters
 * per event: D1 binds at most 100 per statement, and binding is where the time went.
 *
 * @module
 */

/** Column ← expression over one event (`value`, a JSON object), in the order of the INSERT. */
const COLUMNS: readonly [string, string][] = [
  ["id", "value ->> '$.id'"],
  ["type", "value ->> '$.type'"],
  ["env", "value ->> '$.env'"],
  ["subject", "value ->> '$.subject'"],
  ["ts", "value ->> '$.ts'"],
  ["received_at", "?2"],
  ["flag", "value ->> '$.flag'"],
  ["allocation", "value ->> '$.allocation'"],
  ["variant", "value ->> '$.variant'"],
  ["version", "value ->> '$.version'"],
  ["assignment_id", "value ->> '$.assignmentId'"],
  ["rating", "CASE value ->> '$.rating' WHEN 'up' THEN 1 WHEN 'down' THEN 0 END"],
  ["score", "value ->> '$.score'"],
  ["reason", "value ->> '$.reason'"],
  ["comment", "value ->> '$.comment'"],
  ["model", "value ->> '$.model'"],
  ["latency_ms", "value ->> '$.latencyMs'"],
  ["ttft_ms", "value ->> '$.ttftMs'"],
  ["input_tokens", "value ->> '$.inputTokens'"],
  ["output_tokens", "value ->> '$.outputTokens'"],
  ["cost", "value ->> '$.cost'"],
  ["error", "value ->> '$.error'"],
  ["success", "value ->> '$.success'"],
  ["name", "value ->> '$.name'"],
  ["value", "value ->> '$.value'"],
  ["data", "CASE value ->> '$.type' WHEN 'exposure' THEN value -> '$.attributes' WHEN 'execution' THEN value -> '$.metadata' END"],
];

const INSERT = `INSERT OR IGNORE INTO events (${COLUMNS.map(([c]) => c).join(", ")})
SELECT ${COLUMNS.map(([, e]) => e).join(", ")} FROM json_each(?1)`;

type Event = Record<string, unknown>;

/**
 * The statement that inserts one message's events, each new id once; run several with
 * `db.batch` (one transaction: all stored or none).
 *
 * @example
 * await db.batch([insertEvents(db, events, receivedAt)]);
 */
export function insertEvents(db: D1Database, events: readonly Event[], receivedAt: number): D1PreparedStatement {
  return db.prepare(INSERT).bind(JSON.stringify(events), receivedAt);
}

/**
 * Which of these ids are stored already.
 *
 * @example
 * const known = await storedIds(env.DB, ids);
 */
export async function storedIds(db: D1Database, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { results } = await db.prepare("SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}
