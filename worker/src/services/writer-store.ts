/**
 * The ConfigWriter's ConfigStore: its own SQLite table (the counter and the history, read back
 * at once, unlike KV's eventually consistent reads) in front of KV (what clients read, and where
 * versions written by the CLI's `wrangler kv` path appear). A version is written to KV first,
 * then recorded in SQLite, then announced (`onWrite`: the writer pushes it to live clients). This is
 * the one place a version is stored, whatever the change (publish, rollback, kill switch, renewal).
 *
 * @module
 */
import type { ConfigStore, VersionRecord } from "@edgeflag/config-schema/domain";
import { listRecords, readJws, readLatest, writeVersion } from "../storage/configs.ts";

interface Row extends Record<string, SqlStorageValue> {
  version: number;
  jws: string;
  record: string;
}

/**
 * The ConfigStore the ConfigWriter hands to `publish`.
 *
 * @example
 * const store = new WriterStore(ctx.storage.sql, env.FLAGS, (name, version) => live.broadcast(name, version));
 * await publish(store, { env: "production", change, sign });
 */
export class WriterStore implements ConfigStore {
  readonly #sql: SqlStorage;
  readonly #kv: KVNamespace;
  readonly #onWrite: (env: string, version: number) => void;

  constructor(sql: SqlStorage, kv: KVNamespace, onWrite: (env: string, version: number) => void = () => {}) {
    this.#sql = sql;
    this.#kv = kv;
    this.#onWrite = onWrite;
    sql.exec("CREATE TABLE IF NOT EXISTS versions (env TEXT NOT NULL, version INTEGER NOT NULL, jws TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (env, version))");
  }

  #own(env: string): number {
    return this.#sql.exec<{ top: number | null }>("SELECT MAX(version) AS top FROM versions WHERE env = ?", env).one().top ?? 0;
  }

  /** The higher of this writer's last version and KV's pointer. */
  async readLatest(env: string): Promise<number | null> {
    const latest = Math.max(this.#own(env), (await readLatest(this.#kv, env)) ?? 0);
    return latest === 0 ? null : latest;
  }

  async readJws(env: string, version: number): Promise<string | null> {
    const rows = this.#sql.exec<Row>("SELECT jws FROM versions WHERE env = ? AND version = ?", env, version).toArray();
    return rows[0]?.jws ?? readJws(this.#kv, env, version);
  }

  async writeVersion(env: string, jws: string, record: VersionRecord): Promise<void> {
    await writeVersion(this.#kv, env, jws, record);
    this.#sql.exec("INSERT INTO versions (env, version, jws, record) VALUES (?, ?, ?, ?)", env, record.version, jws, JSON.stringify(record));
    this.#onWrite(env, record.version);
  }

  /** Every record, newest first: this writer's, and those only KV has (written by the CLI or before the writer). */
  async history(env: string): Promise<{ latest: number | null; records: VersionRecord[] }> {
    const byVersion = new Map<number, VersionRecord>();
    for (const r of await listRecords(this.#kv, env)) byVersion.set(r.version, r);
    for (const row of this.#sql.exec<Row>("SELECT record FROM versions WHERE env = ?", env)) {
      const record = JSON.parse(row.record) as VersionRecord;
      byVersion.set(record.version, record);
    }
    return { latest: await this.readLatest(env), records: [...byVersion.values()].sort((a, b) => b.version - a.version) };
  }
}
