/**
 * Where each ramp of an env stands, and its timeline: tables in the env's ConfigWriter (the same
 * SQLite as the version history, so a ramp step and the version it publishes are written by one
 * serial change). Keyed by (flag, allocation): a subject's arm never depends on this state, only
 * the allocation's rollout in the signed config does.
 *
 * @module
 */
import type { RampState } from "@edgeflag/analysis";

/** A ramp's state with what the watcher last warned about (so a warn is posted once, not every minute). */
export interface StoredRamp extends RampState {
  flag: string;
  allocation: string;
  /** The metrics of the warn breaches last posted, sorted and comma-joined ("" for none). */
  warned: string;
  updatedAt: number;
}

/** One entry of a ramp's timeline: a step the watcher or a person took, with why. */
export interface RampEvent {
  at: number;
  flag: string;
  allocation: string;
  action: string;
  actor: string;
  stage: number;
  rollout: number;
  /** The config version the step published, or null when it changed no config (hold, warn, extend). */
  version: number | null;
  reason: string;
}

interface StateRow extends Record<string, SqlStorageValue> {
  flag: string;
  allocation: string;
  stage: number;
  stage_started_at: number;
  extended: number;
  status: string;
  warned: string;
  updated_at: number;
}

/** Timeline entries kept per ramp; older ones are dropped (the audit log keeps every published step). */
const MAX_EVENTS_PER_RAMP = 500;

/**
 * The ramp tables of one env's writer.
 *
 * @example
 * const ramps = new RampStore(ctx.storage.sql);
 * ramps.put({ flag: "chat-model", allocation: "ramp", stage: 0, stageStartedAt: now, extended: false, status: "running", warned: "", updatedAt: now });
 */
export class RampStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS ramps (flag TEXT NOT NULL, allocation TEXT NOT NULL, stage INTEGER NOT NULL, stage_started_at INTEGER NOT NULL,
      extended INTEGER NOT NULL, status TEXT NOT NULL, warned TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (flag, allocation))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS ramp_events (id INTEGER PRIMARY KEY AUTOINCREMENT, flag TEXT NOT NULL, allocation TEXT NOT NULL, at INTEGER NOT NULL,
      action TEXT NOT NULL, actor TEXT NOT NULL, stage INTEGER NOT NULL, rollout INTEGER NOT NULL, version INTEGER, reason TEXT NOT NULL)`);
  }

  /** Every ramp's state. */
  all(): StoredRamp[] {
    return this.#sql.exec<StateRow>("SELECT * FROM ramps ORDER BY flag, allocation").toArray().map(fromRow);
  }

  get(flag: string, allocation: string): StoredRamp | null {
    const row = this.#sql.exec<StateRow>("SELECT * FROM ramps WHERE flag = ? AND allocation = ?", flag, allocation).toArray()[0];
    return row ? fromRow(row) : null;
  }

  put(s: StoredRamp): void {
    this.#sql.exec(
      `INSERT INTO ramps (flag, allocation, stage, stage_started_at, extended, status, warned, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flag, allocation) DO UPDATE SET stage = excluded.stage, stage_started_at = excluded.stage_started_at, extended = excluded.extended,
         status = excluded.status, warned = excluded.warned, updated_at = excluded.updated_at`,
      s.flag, s.allocation, s.stage, s.stageStartedAt, s.extended ? 1 : 0, s.status, s.warned, s.updatedAt,
    );
  }

  log(e: RampEvent): void {
    this.#sql.exec("INSERT INTO ramp_events (flag, allocation, at, action, actor, stage, rollout, version, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.flag, e.allocation, e.at, e.action, e.actor, e.stage, e.rollout, e.version, e.reason);
    this.#sql.exec(
      "DELETE FROM ramp_events WHERE flag = ? AND allocation = ? AND id <= (SELECT id FROM ramp_events WHERE flag = ? AND allocation = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
      e.flag, e.allocation, e.flag, e.allocation, MAX_EVENTS_PER_RAMP,
    );
  }

  /** A ramp's timeline, oldest first. */
  events(flag: string, allocation: string): RampEvent[] {
    return this.#sql
      .exec<Record<string, SqlStorageValue>>("SELECT at, flag, allocation, action, actor, stage, rollout, version, reason FROM ramp_events WHERE flag = ? AND allocation = ? ORDER BY id", flag, allocation)
      .toArray() as unknown as RampEvent[];
  }
}

function fromRow(r: StateRow): StoredRamp {
  return { flag: r.flag, allocation: r.allocation, stage: r.stage, stageStartedAt: r.stage_started_at, extended: r.extended === 1, status: r.status as RampState["status"], warned: r.warned, updatedAt: r.updated_at };
}

/** The part of a state a decision is made on: two ticks that read the same one race, and only the first applies. */
export const sameState = (a: RampState | null, b: RampState | null): boolean =>
  a === b || (a !== null && b !== null && a.stage === b.stage && a.stageStartedAt === b.stageStartedAt && a.extended === b.extended && a.status === b.status);
