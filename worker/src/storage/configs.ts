/**
 * Signed configs in KV, in the shared layout (`@edgeflag/config-schema/domain`): the latest
 * pointer, one JWS per version with its VersionRecord, and the list of records (history and
 * audit). Clients read KV; only the env's ConfigWriter Durable Object writes it.
 *
 * @module
 */
import { configKey, latestKey, versionOfKey, versionPrefix, type VersionRecord } from "@edgeflag/config-schema/domain";

/**
 * The latest version of an env, or null when nothing was ever published there.
 *
 * @example
 * const latest = (await readLatest(env.FLAGS, "production")) ?? 0;
 */
export async function readLatest(kv: KVNamespace, env: string): Promise<number | null> {
  const text = await kv.get(latestKey(env));
  if (text === null) return null;
  const version = Number(text.trim());
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`${latestKey(env)} holds "${text}", not a version number`);
  return version;
}

/**
 * The compact JWS of one version, or null when it does not exist.
 *
 * @example
 * const jws = await readJws(env.FLAGS, "production", 7);
 */
export function readJws(kv: KVNamespace, env: string, version: number): Promise<string | null> {
  return kv.get(configKey(env, version));
}

/**
 * Stores a new version (only the env's ConfigWriter calls this): first `config:<env>:<version>` with its record, THEN moves the latest
 * pointer, so the pointer never names a version that is not stored.
 *
 * @example
 * await writeVersion(env.FLAGS, "production", jws, record);
 */
export async function writeVersion(kv: KVNamespace, env: string, jws: string, record: VersionRecord): Promise<void> {
  await kv.put(configKey(env, record.version), jws, { metadata: record });
  await kv.put(latestKey(env), String(record.version), { metadata: { version: record.version } });
}

/**
 * Every version's record, newest first (KV lists keys in byte order, "10" before "9", so they are
 * sorted by number). A version stored without a record (written by hand) gets a bare one.
 *
 * @example
 * const records = await listRecords(env.FLAGS, "production");
 */
export async function listRecords(kv: KVNamespace, env: string): Promise<VersionRecord[]> {
  const records: VersionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<VersionRecord, string> = await kv.list<VersionRecord>({ prefix: versionPrefix(env), cursor });
    for (const key of page.keys) {
      const version = versionOfKey(env, key.name);
      if (version === null) continue;
      const meta = key.metadata;
      records.push(typeof meta === "object" && meta !== null ? { ...meta, version } : { version, at: "", actor: "unknown", action: "publish" });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return records.sort((a, b) => b.version - a.version);
}
