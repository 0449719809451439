/**
 * A ConfigSource on a KV namespace inside a Worker: the small latest pointer is read on every poll,
 * the signed config of a version only when the version changed, and with a long edge cache
 * (`cacheTtl`), since a version never changes once stored. The client verifies what it reads, as
 * it verifies what it fetches over HTTP.
 *
 * @module
 */
import { configKey, latestKey } from "@edgeflag/config-schema/domain";
import type { ConfigSource } from "../config-source.ts";

/** The part of a KV namespace binding the source uses (no workers-types needed). */
export interface KvLike {
  get(key: string, options?: { cacheTtl?: number }): Promise<string | null>;
}

/** A version's key is read through the edge cache for a day: it never changes once written. */
const VERSION_CACHE_TTL_S = 86_400;

/**
 * Reads `env`'s latest pointer, then the version it names unless the client holds it already. The
 * key names are the one KV layout the Worker and the CLI write (`@edgeflag/config-schema/domain`).
 *
 * @example
 * const source = kvConfigSource(env.FLAGS, "production");
 */
export function kvConfigSource(kv: KvLike, env: string): ConfigSource {
  const pointerKey = latestKey(env);
  return {
    async latest(known) {
      const pointer = await kv.get(pointerKey);
      if (pointer === null) throw Object.assign(new Error(`KV ${pointerKey}: nothing was published`), { serverCode: "ENV_NOT_FOUND" });
      const version = Number(pointer);
      if (version === known) return null;
      const jws = await kv.get(configKey(env, version), { cacheTtl: VERSION_CACHE_TTL_S });
      if (jws === null) throw new Error(`KV ${configKey(env, version)}: missing, though ${pointerKey} names it`);
      return jws;
    },
  };
}
