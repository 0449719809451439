/**
 * Events in D1: one row per event id (INSERT OR IGNORE, so a redelivered or resent event is
 * stored once), columns as in worker/migrations/0001_events.sql. A whole message of events is one
 * statement with one parameter (a JSON array unpacked by SQLite's json_each), not 26 parameters
 * per event (D1 binds at most 100 per statement).
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
  ["received_at", "received"],
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

// One statement stores a whole consumer batch: ?1 is a JSON array of {r: receivedAt, e: [events]}.
// Each event is parsed once into JSONB (MATERIALIZED keeps SQLite from re-deriving it for every
// column: 26 `->>` over JSON text parsed the event 26 times, a third of the insert's time).
const INSERT = `WITH m AS MATERIALIZED (SELECT value ->> '$.r' AS r, value -> '$.e' AS e FROM json_each(?1)),
j AS MATERIALIZED (SELECT jsonb(ev.value) AS value, m.r AS received FROM m, json_each(m.e) AS ev)
INSERT OR IGNORE INTO events (${COLUMNS.map(([c]) => c).join(", ")})
SELECT ${COLUMNS.map(([, e]) => e).join(", ")} FROM j`;

/** Events received together: a JSON array of them and when the Worker received them. */
export interface ReceivedEvents {
  jsonArray: string;
  receivedAt: number;
}

/**
 * The statement that inserts these groups of events, each new id once (one transaction: all
 * stored or none).
 *
 * @example
 * await insertEvents(db, [{ jsonArray: jsonArrayOf(message), receivedAt: message.receivedAt }]).run();
 */
export function insertEvents(db: D1Database, groups: readonly ReceivedEvents[]): D1PreparedStatement {
  return db.prepare(INSERT).bind(`[${groups.map((g) => `{"r":${g.receivedAt},"e":${g.jsonArray}}`).join(",")}]`);
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
