/**
 * Events in D1: one row per event id (INSERT OR IGNORE, so a redelivered or resent event is
 * stored once), columns as `@edgeflag/analysis` derives them from the event schema (EVENT_COLUMNS;
 * worker/test/event-table.test.ts checks the migrations agree). A whole message of events is one
 * statement with one parameter (a JSON array unpacked by SQLite's json_each), not 26 parameters
 * per event (D1 binds at most 100 per statement). The triggers of migration 0009
 * (`resultTablesDdl` of `@edgeflag/analysis`) fold each row this statement really inserts into
 * the results tables, in the same statement: an ignored (known) id is never counted again.
 *
 * @module
 */
import { columnSql, EVENT_COLUMNS } from "@edgeflag/analysis";

// One statement stores a whole consumer batch: ?1 is a JSON array of {r: receivedAt, e: [events]}.
// Each event is parsed once into JSONB (MATERIALIZED keeps SQLite from re-deriving it for every
// column: 26 `->>` over JSON text parsed the event 26 times, a third of the insert's time).
const INSERT = `WITH m AS MATERIALIZED (SELECT value ->> '$.r' AS r, value -> '$.e' AS e FROM json_each(?1)),
j AS MATERIALIZED (SELECT jsonb(ev.value) AS value, m.r AS received FROM m, json_each(m.e) AS ev)
INSERT OR IGNORE INTO events (${EVENT_COLUMNS.map((c) => c.name).join(", ")})
SELECT ${EVENT_COLUMNS.map(columnSql).join(", ")} FROM j`;

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
