/**
 * The exposure check of `POST /v1/events`: evaluation is deterministic, so the Worker re-derives
 * each exposure's split variant from the signed config version it names (KV's
 * `config:<env>:<version>`, through the SDK core's `assignedSplit`, the evaluator's own bucket
 * math) and refuses a variant that disagrees. Nobody picks their own arm by posting events.
 *
 * What is checked: the version exists; the flag and the allocation are in it; the flag is enabled
 * and the allocation logs exposures; the subject passes the allocation's traffic gate (its own
 * salt, no attributes needed); no earlier allocation without rules or time window takes the
 * subject first; the split gives the named variant. Targeting rules and time windows are not
 * checked: the event carries no attributes, and its clock is the client's.
 *
 * Versions are immutable, so each is read, decoded and compiled once per isolate (a bounded
 * least-recently-used cache); a version that is missing is remembered for a few seconds only, so
 * one published a moment later (KV propagates within a minute) is found soon after.
 *
 * @module
 */
import type { ExposureEvent } from "@edgeflag/config-schema";
import { assignedSplit, compileConfig, type CompiledConfig, type SplitAssignment } from "@edgeflag/sdk/core";
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { readJws } from "../storage/configs.ts";

/** Why an exposure was refused: a stable code, the field, and what the config assigns. */
export interface ExposureRefusal {
  code: "UNKNOWN_CONFIG_VERSION" | "TOO_MANY_CONFIG_VERSIONS" | "UNKNOWN_FLAG" | "UNKNOWN_ALLOCATION" | "ASSIGNMENT_MISMATCH";
  pointer: string;
  message: string;
}

/** Compiled versions kept per isolate (a config is a few KB compiled). */
export const MAX_CACHED_VERSIONS = 64;
/** How long a missing version is remembered (ms). */
export const MISSING_MS = 5_000;
/**
 * Distinct (env, version) pairs one batch may name. A client names one or two; a forged batch of
 * 500 exposures naming 500 versions would otherwise cost 500 KV reads and flush the cache.
 */
export const MAX_VERSIONS_PER_BATCH = 8;

interface Entry {
  config: Promise<CompiledConfig | null>;
  /** ms after which a missing version is read again (Infinity for a stored one). */
  until: number;
}
const cache = new Map<string, Entry>();

async function load(kv: KVNamespace, env: string, version: number): Promise<CompiledConfig | null> {
  const jws = await readJws(kv, env, version);
  if (jws === null) return null;
  // KV holds only what the env's writer signed: decoding is enough (its signature was checked then).
  let payload: unknown;
  try {
    payload = decodeSignedConfig(jws).payload;
  } catch (e) {
    // A damaged value is as good as none; it must not turn every batch naming it into a 503.
    console.error(`edgeflag: ${env} version ${version} in KV is not a signed config`, e);
    return null;
  }
  return compileConfig(payload as Parameters<typeof compileConfig>[0]);
}

/** One version, compiled, from the cache or KV; null when the env has no such version. */
function compiled(kv: KVNamespace, env: string, version: number, now: number): Promise<CompiledConfig | null> {
  const key = `${env}\u0000${version}`;
  const hit = cache.get(key);
  cache.delete(key); // set again below, as the most recently used
  if (hit !== undefined && now < hit.until) {
    cache.set(key, hit);
    return hit.config;
  }
  const entry: Entry = { config: load(kv, env, version), until: Infinity };
  entry.config.then(
    (c) => void (c === null && (entry.until = now + MISSING_MS)),
    () => cache.get(key) === entry && cache.delete(key), // a KV error is not remembered
  );
  if (cache.size >= MAX_CACHED_VERSIONS) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
  return entry.config;
}

/**
 * How many versions the isolate holds compiled (or remembers missing): never above MAX_CACHED_VERSIONS.
 *
 * @example
 * cachedVersionCount() <= MAX_CACHED_VERSIONS
 */
export const cachedVersionCount = (): number => cache.size;

function explain(e: ExposureEvent, got: Exclude<SplitAssignment, { ok: true }>): ExposureRefusal {
  const where = `config version ${e.version} of env "${e.env}"`;
  const flag = `flag "${e.flag}"`;
  const allocation = `allocation "${e.allocation}" of ${flag}`;
  const mismatch = (pointer: string, message: string): ExposureRefusal => ({ code: "ASSIGNMENT_MISMATCH", pointer, message });
  switch (got.code) {
    case "UNKNOWN_FLAG":
      return { code: "UNKNOWN_FLAG", pointer: "/flag", message: `${where} has no ${flag}` };
    case "UNKNOWN_ALLOCATION":
      return { code: "UNKNOWN_ALLOCATION", pointer: "/allocation", message: `${where} has no ${allocation}` };
    case "INVALID_FLAG":
      return mismatch("/flag", `${flag} cannot be evaluated in ${where}: it assigns no variant`);
    case "DISABLED":
      return mismatch("/flag", `${flag} is disabled in ${where}: it assigns no variant`);
    case "NOT_LOGGED":
      return mismatch("/allocation", `${allocation} does not log exposures in ${where}`);
    case "OUTSIDE_TRAFFIC":
      return mismatch("/allocation", `${where} puts this subject outside the rollout of ${allocation}: it assigns no variant there`);
    case "EARLIER_ALLOCATION":
      return mismatch("/allocation", `${where} assigns this subject "${got.variant}" by allocation "${got.allocation}", which comes before "${e.allocation}"`);
  }
}

/**
 * A checker for these exposures: reads (or finds cached) every config version they name, then
 * answers each exposure synchronously, null when its variant is the one the config assigns.
 * Rejects when KV cannot be read.
 *
 * @example
 * const check = await exposureChecker(env.FLAGS, exposures);
 * const refusal = check(exposures[0]); // { code: "ASSIGNMENT_MISMATCH", pointer: "/variant", … } or null
 */
export async function exposureChecker(kv: KVNamespace, exposures: readonly ExposureEvent[], now = Date.now()): Promise<(e: ExposureEvent) => ExposureRefusal | null> {
  const configs = new Map<string, CompiledConfig | null>();
  const named = new Map<string, ExposureEvent>();
  for (const e of exposures) if (named.size < MAX_VERSIONS_PER_BATCH && !named.has(`${e.env}\u0000${e.version}`)) named.set(`${e.env}\u0000${e.version}`, e);
  await Promise.all([...named].map(async ([key, e]) => configs.set(key, await compiled(kv, e.env, e.version, now))));
  return (e) => {
    const key = `${e.env}\u0000${e.version}`;
    if (!configs.has(key)) return { code: "TOO_MANY_CONFIG_VERSIONS", pointer: "/version", message: `a batch may name at most ${MAX_VERSIONS_PER_BATCH} config versions; send the exposures of version ${e.version} of env "${e.env}" in another batch` };
    const config = configs.get(key);
    if (!config) return { code: "UNKNOWN_CONFIG_VERSION", pointer: "/version", message: `env "${e.env}" has no config version ${e.version}: an exposure names the signed version that assigned it` };
    const got = assignedSplit(config, e.flag, e.allocation, e.subject);
    if (!got.ok) return explain(e, got);
    if (got.variant === e.variant) return null;
    return { code: "ASSIGNMENT_MISMATCH", pointer: "/variant", message: `config version ${e.version} of env "${e.env}" assigns this subject "${got.variant}" in allocation "${e.allocation}" of flag "${e.flag}", not "${e.variant}"` };
  };
}
