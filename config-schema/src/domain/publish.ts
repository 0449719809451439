/**
 * The one publish path. The Worker (inside the env's Durable Object, over KV) and the CLI (over
 * `wrangler kv`) both call `publish` with a `ConfigStore`; only the store differs.
 *
 * The rule: a change signed here takes the next free version after the latest (a version stored
 * without its pointer moved, a publish cut off halfway, is skipped); a config signed elsewhere
 * keeps its version, which must be above the latest and not taken. The version key is written
 * first, then the latest pointer, so the pointer never names a missing version.
 *
 * @module
 */
import { ConfigChangeError } from "./edits.ts";
import { makeRecord, type Change, type VersionRecord } from "./version-record.ts";

/** Where versions live: a KV binding in the Worker, `wrangler kv` in the CLI, a Map in tests. */
export interface ConfigStore {
  /** The latest version of an env, or null when nothing was published there. */
  readLatest(env: string): Promise<number | null>;
  /** The compact JWS of one version, or null. */
  readJws(env: string, version: number): Promise<string | null>;
  /** Stores `config:<env>:<version>` with its record, then moves the latest pointer to it. */
  writeVersion(env: string, jws: string, record: VersionRecord): Promise<void>;
}

/** A config signed at a version, and the kid of the key that signed it. */
export interface Signed {
  jws: string;
  version: number;
  kid: string;
}

/** Signs the content of a change as `version`. */
export type Signer = (version: number) => Promise<Omit<Signed, "version">>;

/** What a change asks for: sign the content at the next free version, or store a signed config. */
export type PublishInput = { env: string; change: Change; now?: number } & ({ sign: Signer } | { signed: Signed });

/** What a stored change answers. */
export interface Published {
  env: string;
  version: number;
  kid: string;
}

/** How far past the latest a signer looks for a free version before giving up. */
const MAX_VERSION_SKIP = 100;

/**
 * The first version above `latest` that `isTaken` does not claim; VERSION_CONFLICT after
 * MAX_VERSION_SKIP taken ones.
 *
 * @example
 * await nextFreeVersion(4, async (v) => v === 5) === 6
 */
export async function nextFreeVersion(latest: number, isTaken: (version: number) => boolean | Promise<boolean>, env = ""): Promise<number> {
  for (let version = latest + 1; version <= latest + MAX_VERSION_SKIP; version++) {
    if (!(await isTaken(version))) return version;
  }
  throw new ConfigChangeError("VERSION_CONFLICT", `versions ${latest + 1} to ${latest + MAX_VERSION_SKIP} of env "${env}" are all taken without the latest pointer naming them`, { latest });
}

/**
 * Stores one change as a new version and returns it. Throws ConfigChangeError VERSION_CONFLICT
 * (with `latest`) when a signed config's version is not above the latest or is already taken.
 * Read-check-write: one writer at a time per env makes it safe (the Worker's Durable Object).
 *
 * @example
 * await publish(store, { env: "production", change: { actor: "ana", action: "publish" }, sign: (version) => signAt(version) });
 */
export async function publish(store: ConfigStore, input: PublishInput): Promise<Published> {
  const { env } = input;
  const latest = (await store.readLatest(env)) ?? 0;
  const taken = async (version: number) => (await store.readJws(env, version)) !== null;
  let signed: Signed;
  if ("signed" in input) {
    signed = input.signed;
    if (signed.version <= latest) {
      throw new ConfigChangeError("VERSION_CONFLICT", `version ${signed.version} is not newer than the latest version ${latest} of env "${env}"`, { latest });
    }
    if (await taken(signed.version)) {
      throw new ConfigChangeError("VERSION_CONFLICT", `version ${signed.version} of env "${env}" already exists (a concurrent publish?); try again`, { latest: signed.version });
    }
  } else {
    const version = await nextFreeVersion(latest, taken, env);
    signed = { ...(await input.sign(version)), version };
  }
  await store.writeVersion(env, signed.jws, makeRecord({ ...input.change, version: signed.version, kid: signed.kid }, input.now));
  return { env, version: signed.version, kid: signed.kid };
}

/**
 * The JWS of one version; VERSION_NOT_FOUND (pointing at `/to`) when it does not exist.
 *
 * @example
 * const old = await readVersion(store, "production", 5);
 */
export async function readVersion(store: ConfigStore, env: string, version: number): Promise<string> {
  const jws = await store.readJws(env, version);
  if (jws === null) throw new ConfigChangeError("VERSION_NOT_FOUND", `env "${env}" has no version ${version}`, { pointer: "/to" });
  return jws;
}

/**
 * The latest version and its JWS; ENV_NOT_FOUND when nothing was published.
 *
 * @example
 * const { version, jws } = await readLatestVersion(store, "production");
 */
export async function readLatestVersion(store: ConfigStore, env: string): Promise<{ version: number; jws: string }> {
  const version = await store.readLatest(env);
  const jws = version === null ? null : await store.readJws(env, version);
  if (version === null || jws === null) throw new ConfigChangeError("ENV_NOT_FOUND", `nothing was published for env "${env}"`);
  return { version, jws };
}
