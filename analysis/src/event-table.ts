/**
 * The D1 `events` table, derived from the one list of event types (`EVENT_TYPES`, generated from
 * config-schema/schema/event.v1.json): its columns and how each is read from an event, the
 * results indexes and the type each serves, and the type predicates the results SQL repeats so
 * SQLite uses those partial indexes. Adding an event type is a schema change, a line in
 * {@link INDEX_OF} (the type check fails until it is there), and the code that emits and
 * analyses it; worker/test/event-table.test.ts fails until the migrations agree.
 *
 * @module
 */
import { EVENT_TYPES, type EventType } from "@edgeflag/config-schema";

/** The results indexes of the events table (each partial, over the types it serves). */
export type EventIndex = "exposures" | "metrics" | "subject";

/** Which results index stores each event type: one line per type of the schema. */
export const INDEX_OF: { readonly [T in EventType]: EventIndex } = {
  exposure: "exposures",
  feedback: "metrics",
  execution: "metrics",
  outcome: "metrics",
  custom: "subject",
};

/** The columns of each index: each covers what the results SQL reads through it. */
export const INDEX_COLUMNS: { readonly [I in EventIndex]: readonly string[] } = {
  exposures: ["env", "flag", "type", "allocation", "subject", "assignment_id", "ts", "variant"],
  metrics: ["env", "flag", "type", "subject", "rating", "success", "latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cost", "error", "ts", "variant", "assignment_id", "shadow", "fallback", "truncated", "cached_input_tokens", "reasoning_tokens"],
  subject: ["env", "subject", "type", "flag", "ts", "name", "value"],
};

/** The event fields kept as JSON in the `data` column, by type. */
export const DATA_FIELDS: { readonly [T in EventType]?: string } = { exposure: "attributes", execution: "metadata" };

/** One column: its SQLite type, and the event field it holds or the SQL that computes it from `value` (the event) and `received`. */
export interface EventColumn {
  name: string;
  type: "TEXT" | "INTEGER" | "REAL";
  notNull: boolean;
  /** The idempotency key: INSERT OR IGNORE keeps the first event of an id. */
  unique?: boolean;
  field?: string;
  sql?: string;
}

const col = (name: string, type: EventColumn["type"], field: string | undefined, notNull = false): EventColumn => ({ name, type, notNull, field });

/** Every column of the events table, in the table's order. */
export const EVENT_COLUMNS: readonly EventColumn[] = [
  { ...col("id", "TEXT", "id", true), unique: true },
  col("type", "TEXT", "type", true),
  col("env", "TEXT", "env", true),
  col("subject", "TEXT", "subject", true),
  col("ts", "INTEGER", "ts", true),
  { name: "received_at", type: "INTEGER", notNull: true, sql: "received" },
  col("flag", "TEXT", "flag"),
  col("allocation", "TEXT", "allocation"),
  col("variant", "TEXT", "variant"),
  col("version", "INTEGER", "version"),
  col("assignment_id", "TEXT", "assignmentId"),
  { name: "rating", type: "INTEGER", notNull: false, field: "rating", sql: "CASE value ->> '$.rating' WHEN 'up' THEN 1 WHEN 'down' THEN 0 END" },
  col("score", "REAL", "score"),
  col("reason", "TEXT", "reason"),
  col("comment", "TEXT", "comment"),
  col("model", "TEXT", "model"),
  col("latency_ms", "REAL", "latencyMs"),
  col("ttft_ms", "REAL", "ttftMs"),
  col("input_tokens", "INTEGER", "inputTokens"),
  col("output_tokens", "INTEGER", "outputTokens"),
  col("cost", "REAL", "cost"),
  col("error", "TEXT", "error"),
  col("success", "INTEGER", "success"),
  col("name", "TEXT", "name"),
  col("value", "REAL", "value"),
  {
    name: "data",
    type: "TEXT",
    notNull: false,
    sql: `CASE value ->> '$.type' ${Object.entries(DATA_FIELDS).map(([type, field]) => `WHEN '${type}' THEN value -> '$.${field}'`).join(" ")} END`,
  },
  // Added by migration 0004 (ALTER TABLE appends): the kid that signed the exposure's config version.
  col("kid", "TEXT", "kid"),
  // Added by migration 0007: what the router records of each call (booleans as 1/0). The attempts
  // keep their own JSON column, so `data` stays the execution's metadata as before.
  col("provider", "TEXT", "provider"),
  col("served_variant", "TEXT", "servedVariant"),
  col("cached_input_tokens", "INTEGER", "cachedInputTokens"),
  col("cache_write_tokens", "INTEGER", "cacheWriteTokens"),
  col("reasoning_tokens", "INTEGER", "reasoningTokens"),
  col("finish_reason", "TEXT", "finishReason"),
  col("usage_source", "TEXT", "usageSource"),
  col("truncated", "INTEGER", "truncated"),
  col("fallback", "INTEGER", "fallback"),
  col("shadow", "INTEGER", "shadow"),
  col("stream", "INTEGER", "stream"),
  { name: "attempts", type: "TEXT", notNull: false, field: "attempts", sql: "value -> '$.attempts'" },
];

/**
 * The CREATE TABLE statement of the events table, for a SQLite the D1 migrations do not build
 * (an archive read by an offline runner, a test); the indexes are {@link indexDdl}'s.
 *
 * @example
 * db.exec(tableDdl()); // CREATE TABLE events (id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, …)
 */
export function tableDdl(): string {
  return `CREATE TABLE events (${EVENT_COLUMNS.map((c) => `${c.name} ${c.type}${c.notNull ? " NOT NULL" : ""}${c.unique ? " UNIQUE" : ""}`).join(", ")})`;
}

/**
 * The SQL that reads a column from one event (`value`, JSONB) received at `received`.
 *
 * @example
 * columnSql(EVENT_COLUMNS[0]!) // "value ->> '$.id'"
 */
export function columnSql(column: EventColumn): string {
  return column.sql ?? `value ->> '$.${column.field}'`;
}

/**
 * The event types an index serves, in the schema's order.
 *
 * @example
 * typesOf("metrics") // ["feedback", "execution", "outcome"]
 */
export function typesOf(index: EventIndex): EventType[] {
  return EVENT_TYPES.filter((t) => INDEX_OF[t] === index);
}

/**
 * The predicate on `type` that selects an index's events, as the index and the queries spell it
 * (SQLite uses a partial index only when the query names its WHERE term).
 *
 * @example
 * typePredicate("metrics", "e.") // "e.type IN ('feedback', 'execution', 'outcome')"
 * typePredicate("exposures")     // "type = 'exposure'"
 */
export function typePredicate(index: EventIndex, alias = ""): string {
  const types = typesOf(index);
  return types.length === 1 ? `${alias}type = '${types[0]}'` : `${alias}type IN (${types.map((t) => `'${t}'`).join(", ")})`;
}

/**
 * The CREATE INDEX statement of a results index: what a new migration writes when the list of
 * types changes (applied migrations are never edited).
 *
 * @example
 * indexDdl("subject") // "CREATE INDEX events_subject ON events (env, subject, …) WHERE type = 'custom'"
 */
export function indexDdl(index: EventIndex): string {
  return `CREATE INDEX events_${index} ON events (${INDEX_COLUMNS[index].join(", ")}) WHERE ${typePredicate(index)}`;
}
