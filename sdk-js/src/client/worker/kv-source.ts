/**
 * A ConfigSource on a KV namespace inside a Worker: the small latest pointer is read on every poll,
 * the signed config of a version only when the version changed, and with a long edge cache
 * (`cacheTtl`), since a version never changes once stored. The client verifies what it reads, as
 * it verifies what it fetches over HTTP.
 *
 * @module
 */
import type { ConfigSource } from "../config-source.ts";

/** The part of a KV namespace binding the source uses (no workers-types needed). */
export interface KvLike {
  get(key: string, options?: { cacheTtl?: number }): Promise<string | null>;
}

/** Where an env's configs are: the pointer key (its value a version number) and each version's key. */
export interface KvLayout {
  latest: string;
  version(version: number): string;
}

/** A version's key is read through the edge cache for a day: it never changes once written. */
const VERSION_CACHE_TTL_S = 86_400;

/**
 * Reads the layout's pointer, then the version it names unless the client holds it already. The
 * key names come from the caller (the Worker's one KV layout), so they are written once.
 *
 * @example
 * const source = kvConfigSource(env.FLAGS, { latest: latestKey("production"), version: (v) => configKey("production", v) });
 */
export function kvConfigSource(kv: KvLike, layout: KvLayout): ConfigSource {
  return {
    async latest(known) {
      const pointer = await kv.get(layout.latest);
      if (pointer === null) throw Object.assign(new Error(`KV ${layout.latest}: nothing was published`), { serverCode: "ENV_NOT_FOUND" });
      const version = Number(pointer);
      if (version === known) return null;
      const jws = await kv.get(layout.version(version), { cacheTtl: VERSION_CACHE_TTL_S });
      if (jws === null) throw new Error(`KV ${layout.version(version)}: missing, though ${layout.latest} names it`);
      return jws;
    },
  };
}
