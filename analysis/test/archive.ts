// Shared by the results tests on node:sqlite: an events table built from the package's own DDL
// (the events table, its indexes, the results tables and their triggers), events inserted through
// the column expressions the Worker uses, and the results statements run over it.
import { DatabaseSync } from "node:sqlite";
import { expect } from "vitest";
import { columnSql, EVENT_COLUMNS, indexDdl, RELATIVE_ERROR, RESULTS_SQL, resultTablesDdl, tableDdl, type Quantiles, type ResultRows, type Row } from "../src/index.ts";

export const T0 = Date.UTC(2026, 10, 20, 12);
export type Ev = Record<string, unknown>;

/** An empty archive with every table, index and trigger the migrations build. */
export function emptyArchive(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec(tableDdl());
  for (const index of ["exposures", "metrics", "subject"] as const) db.exec(indexDdl(index));
  for (const sql of resultTablesDdl()) db.exec(sql);
  return db;
}

/** Stores events as the consumer does: one INSERT OR IGNORE per batch, a known id ignored. */
export function store(db: DatabaseSync, events: readonly Ev[]): void {
  db.prepare(`INSERT OR IGNORE INTO events (${EVENT_COLUMNS.map((c) => c.name).join(", ")}) SELECT ${EVENT_COLUMNS.map(columnSql).join(", ")} FROM (SELECT jsonb(value) AS value, ?2 AS received FROM json_each(?1))`).run(JSON.stringify(events), T0);
}

/** An archive holding these events (stored one by one, in this order). */
export function archive(events: readonly Ev[]): DatabaseSync {
  const db = emptyArchive();
  for (const e of events) store(db, [e]);
  return db;
}

/** The rows of every results statement for one allocation. */
export function results(db: DatabaseSync, env: string, flag: string, allocation: string): ResultRows {
  const run = (sql: string) => db.prepare(sql).all(env, flag, allocation) as Row[];
  return { variants: run(RESULTS_SQL.variants), custom: run(RESULTS_SQL.custom), quantiles: run(RESULTS_SQL.quantiles), dailyCost: run(RESULTS_SQL.dailyCost) };
}

/** A quantile read from the histograms: within RELATIVE_ERROR (< 1%) of the exact one, relative to it. */
export function expectQuantiles(actual: Quantiles, exact: { p50: number; p95: number }): void {
  for (const q of ["p50", "p95"] as const) expect(Math.abs(actual[q]! - exact[q]), `${q}: ${actual[q]} vs ${exact[q]}`).toBeLessThanOrEqual(RELATIVE_ERROR * Math.abs(exact[q]));
}

let seq = 0;
/** An event of env "e", flag "f", assignment "x" (fields override), at T0 + a counter unless `ts` is given. */
export const ev = (subject: string, type: string, fields: Ev, ts = T0 + ++seq): Ev => ({ id: crypto.randomUUID(), type, env: "e", subject, ts, flag: "f", assignmentId: "x", ...fields });
/** An exposure to `variant` in allocation "exp". */
export const exposure = (subject: string, variant: string, ts?: number, fields: Ev = {}) => ev(subject, "exposure", { allocation: "exp", variant, version: 1, ...fields }, ts);
