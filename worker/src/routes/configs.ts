/**
 * Serving signed configs: `GET /v1/configs/:env` (the latest, revalidated often) and
 * `GET /v1/configs/:env/versions/:n` (one version, immutable). The ETag is the version, so a
 * client that has the latest gets a 304 after a single small KV read.
 *
 * @module
 */
import { etagOf, ifNoneMatch } from "../lib/conditional.ts";
import { HttpError } from "../lib/http.ts";
import { envName, versionNumber } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { readLatest } from "../storage/configs.ts";
import { IMMUTABLE, versionBody } from "../storage/edge-cache.ts";

/** Browsers revalidate after 30 s, shared caches after 60 s, and may serve stale for 5 min. */
export const LATEST_CACHE_CONTROL = "public, max-age=30, s-maxage=60, stale-while-revalidate=300";

const notModified = (version: number, cacheControl: string) => new Response(null, { status: 304, headers: { ETag: etagOf(version), "Cache-Control": cacheControl } });

function answer(request: Request, body: BodyInit, version: number, cacheControl: string): Response {
  if (ifNoneMatch(request.headers.get("If-None-Match"), etagOf(version))) {
    if (body instanceof ReadableStream) body.cancel().catch(() => {});
    return notModified(version, cacheControl);
  }
  return new Response(body, { headers: { ETag: etagOf(version), "Cache-Control": cacheControl, "Content-Type": "application/jose" } });
}

/**
 * `GET /v1/configs/:env`: 200 with the latest JWS, 304 when `If-None-Match` has its ETag, 404
 * ENV_NOT_FOUND when nothing was published, 400 for a bad env name.
 *
 * @example
 * curl -i https://flags.example.com/v1/configs/production -H 'If-None-Match: "6"'
 */
export async function getLatestConfig(request: Request, env: Env, ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const version = await readLatest(env.FLAGS, name);
  if (version === null) throw new HttpError(404, "ENV_NOT_FOUND", `nothing was published for env "${name}"`);
  // The pointer is written after the version, so the ETag alone is enough for a 304.
  if (ifNoneMatch(request.headers.get("If-None-Match"), etagOf(version))) return notModified(version, LATEST_CACHE_CONTROL);
  const body = await versionBody(request, env, ctx, name, version);
  if (body === null) {
    // KV replicas can see the new pointer before the new version: ask the client to come back.
    throw new HttpError(503, "VERSION_NOT_READY", `version ${version} of env "${name}" is not readable here yet`, { headers: { "Retry-After": "5" } });
  }
  return answer(request, body, version, LATEST_CACHE_CONTROL);
}

/**
 * `GET /v1/configs/:env/versions/:n`: 200 with that version's JWS (immutable), 304 on a matching
 * `If-None-Match`, 404 VERSION_NOT_FOUND, 400 when n is not a positive integer.
 *
 * @example
 * curl https://flags.example.com/v1/configs/production/versions/6
 */
export async function getConfigVersion(request: Request, env: Env, ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const version = versionNumber(params.n, "/version");
  const body = await versionBody(request, env, ctx, name, version);
  if (body === null) throw new HttpError(404, "VERSION_NOT_FOUND", `env "${name}" has no version ${version}`);
  return answer(request, body, version, IMMUTABLE);
}
