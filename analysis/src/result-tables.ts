/**
 * The results tables: per-subject aggregates that SQLite triggers on `events` keep up to date as
 * events are stored, so reading an experiment's results costs in subjects (and histogram
 * buckets), not in events. One place for their DDL: the migration that creates them
 * (worker/migrations/0009_results_tables.sql) is this module's {@link resultTablesDdl} and
 * {@link backfillSql}, and worker/test/event-table.test.ts fails when the two drift.
 *
 * Why triggers and not the Queue consumer: an AFTER INSERT trigger fires only for the rows that
 * `INSERT OR IGNORE` really inserted, in the same statement (so the same D1 transaction), so a
 * redelivered batch is never counted twice and a batch is folded all or not at all; and every
 * writer (the consumer, a test's seed, a replay from the archive, the bench's node:sqlite seed)
 * folds the same way with no code of its own.
 *
 * What each table holds, with the semantics of results-sql.ts:
 * - `subject_results`: per (env, flag, allocation, subject) the variant and ts of the first
 *   exposure and the per-subject sums of {@link SUBJECT_SUMS} over the feedback, executions and
 *   outcomes that count (consistent with one of the subject's exposures in the allocation, not
 *   before the first, not shadow).
 * - `subject_custom`: per subject and custom event name (tagged with the flag, or untagged), the
 *   events and their value's total since the first exposure.
 * - `call_histogram`: per variant, latency and TTFT of the counted calls as log-histograms
 *   (histogram.ts: quantiles within 1%).
 * - `daily_cost`: per variant and UTC day of the call, the calls with a cost and their total.
 * - `exposure_configs`: exposures per config version and kid ('' for none).
 *
 * A metric or custom event adds to the rows of its subject (one indexed update). An exposure
 * that changes what counts — the subject's first in the allocation, one earlier than the first
 * (first_ts and the variant move), or one with an (assignmentId, variant) not seen before (events
 * that arrived before it now count) — refreshes its subject: the old calls leave the histograms
 * and daily costs, the row is recomputed from the subject's events, and its calls come back.
 *
 * @module
 */
import { bucketSql } from "./histogram.ts";
import { QUANTILE_MEASURES } from "./aggregates.ts";
import { typePredicate } from "./event-table.ts";

/** The per-subject sums, each with what one counted event adds (an SQL expression over its columns, prefix `e`). */
export const SUBJECT_SUMS: readonly (readonly [column: string, add: (e: string) => string])[] = [
  ["feedbacks", (e) => `(${e}type = 'feedback')`],
  ["thumbs", (e) => `(${e}rating IS NOT NULL)`],
  ["ups", (e) => `IFNULL(${e}rating, 0)`],
  ["outcomes", (e) => `(${e}success IS NOT NULL)`],
  ["successes", (e) => `IFNULL(${e}success, 0)`],
  ["calls", (e) => `(${e}type = 'execution')`],
  ["errs", (e) => `(${e}error IS NOT NULL)`],
  ...([["lat", "latency_ms"], ["ttft", "ttft_ms"], ["in_tok", "input_tokens"], ["out_tok", "output_tokens"], ["cost", "cost"], ["cached_tok", "cached_input_tokens"], ["reasoning_tok", "reasoning_tokens"]] as const).flatMap(
    ([sum, c]) => [[sum, (e: string) => `IFNULL(${e}${c}, 0)`], [`${sum.replace(/_tok$/, "")}_n`, (e: string) => `(${e}${c} IS NOT NULL)`]] as const,
  ),
  ["fallbacks", (e) => `IFNULL(${e}fallback, 0)`],
  ["truncations", (e) => `IFNULL(${e}truncated, 0)`],
];

const KEY = ["env", "flag", "allocation", "subject"] as const;
const METRIC_TYPES = typePredicate("metrics", "e.");
const DAY_MS = 86_400_000;

/** An exposure the tables fold: the schema requires these fields; a row without them is left out rather than failing its batch. */
const foldable = (a: string) => `${a}flag IS NOT NULL AND ${a}allocation IS NOT NULL AND ${a}variant IS NOT NULL`;

/** Event `e` is consistent with an exposure of x's subject in x's allocation (same assignmentId; same variant if it names one), optionally leaving one exposure out. */
const consistent = (x: string, e: string, without = "") => `EXISTS (SELECT 1 FROM events a
      WHERE a.env = ${x}env AND a.flag = ${x}flag AND a.type = 'exposure' AND a.allocation = ${x}allocation AND a.subject = ${x}subject
        AND a.assignment_id = ${e}assignment_id AND (${e}variant IS NULL OR a.variant = ${e}variant)${without})`;

/** Metric event `e` counts for subject row `x`. */
const counts = (x: string, e: string, without = "") =>
  `${e}env = ${x}env AND ${e}flag = ${x}flag AND ${e}subject = ${x}subject AND ${e}ts >= ${x}first_ts AND ${consistent(x, e, without)}`;

/** The calls counted for the subject rows `x` in scope: FROM … WHERE, for the set forms (subjects first, then each one's calls by the metrics index). */
const countedCalls = (scope: string, without = "") =>
  `FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND ${METRIC_TYPES} AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND ${consistent("x.", "e.", without)}
  WHERE ${scope}`;

const upsertHistogram = "ON CONFLICT DO UPDATE SET n = n + excluded.n";
const upsertCost = "ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, cost = cost + excluded.cost";

/** Adds (sign 1) or removes (sign −1) the counted calls of the rows in scope to the histograms and daily costs. */
function foldCalls(scope: string, sign: 1 | -1, without = ""): string[] {
  const from = countedCalls(scope, without);
  return [
    ...Object.entries(QUANTILE_MEASURES).map(([measure, c]) => `INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, '${measure}', ${bucketSql(`e.${c}`)} AS bucket, ${sign} * COUNT(*) ${from} AND e.${c} IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ${upsertHistogram}`),
    `INSERT INTO daily_cost (env, flag, allocation, variant, day, calls, cost)
  SELECT x.env, x.flag, x.allocation, x.variant, CAST(e.ts / ${DAY_MS} AS INTEGER) AS day, ${sign} * COUNT(*), ${sign} * TOTAL(e.cost) ${from} AND e.cost IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, day ${upsertCost}`,
  ];
}

/** Recomputes the subject rows of the exposures in `scope` (a WHERE over events) from their events: the old results query, per subject. */
function subjectRows(scope: string): string {
  return `INSERT INTO subject_results (${KEY.join(", ")}, variant, first_ts, ${SUBJECT_SUMS.map(([c]) => c).join(", ")})
  SELECT x.env, x.flag, x.allocation, x.subject, x.variant, x.first_ts, ${SUBJECT_SUMS.map(([, add]) => `TOTAL(${add("e.")})`).join(", ")}
  FROM (SELECT env, flag, allocation, subject, variant, MIN(ts) AS first_ts FROM events
    WHERE ${scope} AND type = 'exposure' AND ${foldable("")} GROUP BY env, flag, allocation, subject) x
  LEFT JOIN events e ON ${METRIC_TYPES} AND e.shadow IS NOT 1 AND ${counts("x.", "e.")}
  GROUP BY x.env, x.flag, x.allocation, x.subject`;
}

/** Recomputes the custom rows of the subject rows in scope (CROSS JOIN: subjects first, then each one's events by the subject index). */
function customRows(scope: string): string {
  return `INSERT INTO subject_custom (${KEY.join(", ")}, name, variant, events, total)
  SELECT x.env, x.flag, x.allocation, x.subject, e.name, x.variant, COUNT(*), TOTAL(e.value)
  FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.subject = x.subject AND ${typePredicate("subject", "e.")}
    AND (e.flag = x.flag OR e.flag IS NULL) AND e.ts >= x.first_ts AND e.name IS NOT NULL
  WHERE ${scope} GROUP BY x.env, x.flag, x.allocation, x.subject, e.name`;
}

const NEW_SUBJECT = KEY.map((k) => `x.${k} = NEW.${k}`).join(" AND ");

/**
 * The tables, keyed for the triggers' lookups: a metric event finds its subject's rows by (env,
 * flag, subject), a prefix of the key (SQLite, with no statistics, would rather scan a key prefix
 * than use a secondary index); an untagged custom event by (env, subject), through the index it
 * names. The results read a flag's subject rows and keep the allocation's.
 */
const TABLES = [
  `CREATE TABLE subject_results (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, subject TEXT NOT NULL, variant TEXT NOT NULL, first_ts INTEGER NOT NULL, ${SUBJECT_SUMS.map(([c]) => `${c} REAL NOT NULL DEFAULT 0`).join(", ")}, PRIMARY KEY (env, flag, subject, allocation)) WITHOUT ROWID`,
  "CREATE INDEX subject_results_by_subject ON subject_results (env, subject)",
  "CREATE TABLE subject_custom (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, subject TEXT NOT NULL, name TEXT NOT NULL, variant TEXT NOT NULL, events INTEGER NOT NULL, total REAL NOT NULL, PRIMARY KEY (env, flag, allocation, subject, name)) WITHOUT ROWID",
  "CREATE TABLE call_histogram (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, variant TEXT NOT NULL, measure TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (env, flag, allocation, variant, measure, bucket)) WITHOUT ROWID",
  "CREATE TABLE daily_cost (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, variant TEXT NOT NULL, day INTEGER NOT NULL, calls INTEGER NOT NULL, cost REAL NOT NULL, PRIMARY KEY (env, flag, allocation, variant, day)) WITHOUT ROWID",
  "CREATE TABLE exposure_configs (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, version INTEGER NOT NULL, kid TEXT NOT NULL, exposures INTEGER NOT NULL, PRIMARY KEY (env, flag, allocation, version, kid)) WITHOUT ROWID",
];

/** A metric event adds to the rows of its subject it counts for. */
function metricTrigger(): string {
  // The UPDATE names its table in full: SQLite refuses an alias in a trigger's UPDATE.
  const rowOf = (x: string) => `${x}env = NEW.env AND ${x}flag = NEW.flag AND ${x}subject = NEW.subject AND ${x}first_ts <= NEW.ts AND ${consistent(x, "NEW.")}`;
  const row = rowOf("x.");
  const call = (measure: string, c: string) => `INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
    SELECT x.env, x.flag, x.allocation, x.variant, '${measure}', ${bucketSql(`NEW.${c}`)}, 1 FROM subject_results x
    WHERE NEW.type = 'execution' AND NEW.${c} IS NOT NULL AND ${row} ${upsertHistogram};`;
  return `CREATE TRIGGER events_fold_metric AFTER INSERT ON events
WHEN ${typePredicate("metrics", "NEW.")} AND NEW.flag IS NOT NULL AND NEW.shadow IS NOT 1
BEGIN
  UPDATE subject_results SET ${SUBJECT_SUMS.map(([c, add]) => `${c} = ${c} + ${add("NEW.")}`).join(", ")}
    WHERE ${rowOf("subject_results.")};
  ${Object.entries(QUANTILE_MEASURES).map(([measure, c]) => call(measure, c)).join("\n  ")}
  INSERT INTO daily_cost (env, flag, allocation, variant, day, calls, cost)
    SELECT x.env, x.flag, x.allocation, x.variant, CAST(NEW.ts / ${DAY_MS} AS INTEGER), 1, NEW.cost FROM subject_results x
    WHERE NEW.type = 'execution' AND NEW.cost IS NOT NULL AND ${row} ${upsertCost};
END`;
}

/** A custom event adds to the rows of its subject exposed before it (in its flag, or in every flag when untagged). */
function customTrigger(): string {
  return `CREATE TRIGGER events_fold_custom AFTER INSERT ON events
WHEN ${typePredicate("subject", "NEW.")} AND NEW.name IS NOT NULL
BEGIN
  ${["subject_results x WHERE NEW.flag IS NOT NULL AND x.env = NEW.env AND x.flag = NEW.flag", "subject_results x INDEXED BY subject_results_by_subject WHERE NEW.flag IS NULL AND x.env = NEW.env"].map((rows) => `INSERT INTO subject_custom (${KEY.join(", ")}, name, variant, events, total)
    SELECT x.env, x.flag, x.allocation, x.subject, NEW.name, x.variant, 1, IFNULL(NEW.value, 0) FROM ${rows} AND x.subject = NEW.subject AND x.first_ts <= NEW.ts
    ON CONFLICT DO UPDATE SET events = events + 1, total = total + excluded.total;`).join("\n  ")}
END`;
}

/** Every exposure counts toward its config version; one that changes what counts refreshes its subject. */
function exposureTriggers(): string[] {
  const seen = `SELECT 1 FROM events a WHERE a.env = NEW.env AND a.flag = NEW.flag AND a.type = 'exposure' AND a.allocation = NEW.allocation AND a.subject = NEW.subject
    AND a.assignment_id = NEW.assignment_id AND a.variant = NEW.variant AND a.rowid <> NEW.rowid`;
  const known = `SELECT 1 FROM subject_results x WHERE ${NEW_SUBJECT} AND x.first_ts <= NEW.ts`;
  const mine = (table: string) => `DELETE FROM ${table} WHERE env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation`;
  const oldVariant = `(SELECT x.variant FROM subject_results x WHERE ${NEW_SUBJECT})`;
  return [
    `CREATE TRIGGER events_fold_exposure_config AFTER INSERT ON events
WHEN NEW.type = 'exposure' AND ${foldable("NEW.")} AND NEW.version IS NOT NULL
BEGIN
  INSERT INTO exposure_configs (env, flag, allocation, version, kid, exposures) VALUES (NEW.env, NEW.flag, NEW.allocation, NEW.version, IFNULL(NEW.kid, ''), 1)
    ON CONFLICT DO UPDATE SET exposures = exposures + 1;
END`,
    `CREATE TRIGGER events_fold_exposure AFTER INSERT ON events
WHEN NEW.type = 'exposure' AND ${foldable("NEW.")} AND (NOT EXISTS (${known}) OR (NEW.assignment_id IS NOT NULL AND NOT EXISTS (${seen})))
BEGIN
  ${foldCalls(NEW_SUBJECT, -1, " AND a.rowid <> NEW.rowid").join(";\n  ")};
  ${mine("call_histogram")} AND variant = ${oldVariant} AND n = 0;
  ${mine("daily_cost")} AND variant = ${oldVariant} AND calls = 0;
  ${mine("subject_custom")} AND subject = NEW.subject;
  ${mine("subject_results")} AND subject = NEW.subject;
  ${subjectRows("env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation AND subject = NEW.subject")};
  ${foldCalls(NEW_SUBJECT, 1).join(";\n  ")};
  ${customRows(NEW_SUBJECT)};
END`,
  ];
}

/**
 * The DDL of the results tables and the triggers that keep them: each statement of migration
 * 0009 in order (before its backfill), and what a SQLite the migrations do not build runs after
 * `tableDdl()`.
 *
 * @example
 * for (const sql of resultTablesDdl()) db.exec(sql);
 */
export function resultTablesDdl(): string[] {
  return [...TABLES, metricTrigger(), customTrigger(), ...exposureTriggers()];
}

/**
 * The statements that fill the results tables from the events already stored (the migration's
 * backfill): the same per-subject SQL the triggers run, over every subject at once.
 *
 * @example
 * for (const sql of backfillSql()) db.exec(sql);
 */
export function backfillSql(): string[] {
  return [
    subjectRows("1"),
    customRows("1"),
    ...foldCalls("1", 1),
    `INSERT INTO exposure_configs (env, flag, allocation, version, kid, exposures)
  SELECT env, flag, allocation, version, IFNULL(kid, ''), COUNT(*) FROM events WHERE type = 'exposure' AND ${foldable("")} AND version IS NOT NULL
  GROUP BY env, flag, allocation, version, IFNULL(kid, '')`,
  ];
}
