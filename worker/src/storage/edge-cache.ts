/**
 * The Cache API in front of KV for signed configs. Entries are keyed by env AND version, and a
 * version never changes once stored, so an entry can live for a year: a new version gets a new
 * key and is never hidden by an old entry. Only the small latest pointer is read from KV per
 * request; an isolate also keeps the last few versions it served in memory.
 *
 * @module
 */
import { readJws } from "./configs.ts";

/**
 * Versions already read by this isolate. A version never changes once stored, so keeping it in
 * memory is safe; bounded to the few most recent so an isolate never holds much.
 */
const recent = new Map<string, string>();
const RECENT_LIMIT = 8;

function remember(key: string, jws: string): void {
  recent.delete(key);
  recent.set(key, jws);
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value!);
}

/** Bumped if the cached form ever changes, to leave old entries behind. */
const CACHE_FORMAT = "v1";

/** The Cache-Control of an immutable version (and of its cache entry). */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The synthetic cache key of one version: on the request's own host (the Cache API is per zone),
 * under a path no route serves.
 *
 * @example
 * await caches.default.match(cacheKeyOf(request.url, "production", 7));
 */
export function cacheKeyOf(requestUrl: string, env: string, version: number): Request {
  return new Request(`${new URL(requestUrl).origin}/__edgeflag-cache/${CACHE_FORMAT}/configs/${env}/versions/${version}`);
}

/**
 * The body of one version's JWS: from the edge cache, else from KV (then cached in the
 * background). null when the version is not stored.
 *
 * @example
 * const body = await versionBody(request, env, ctx, "production", 7);
 */
export async function versionBody(request: Request, env: Env, ctx: ExecutionContext, name: string, version: number): Promise<BodyInit | null> {
  const memoryKey = `${name}:${version}`;
  const inMemory = recent.get(memoryKey);
  if (inMemory !== undefined) return inMemory;
  const cache = caches.default;
  const key = cacheKeyOf(request.url, name, version);
  const hit = await cache.match(key);
  if (hit) {
    const text = await hit.text();
    remember(memoryKey, text);
    return text;
  }
  const jws = await readJws(env.FLAGS, name, version);
  if (jws === null) return null;
  remember(memoryKey, jws);
  const entry = new Response(jws, { headers: { "Content-Type": "application/jose", "Cache-Control": IMMUTABLE } });
  ctx.waitUntil(cache.put(key, entry).catch((e: unknown) => console.error("edgeflag: cache.put failed", e)));
  return jws;
}
