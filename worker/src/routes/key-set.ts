/**
 * `GET /.well-known/edgeflag-keys.jws`: the key set the offline root signed (contract 3), as set
 * in the KEY_SET secret (`edgeflag keys sign-set … | wrangler secret put KEY_SET`: a secret, so a
 * rotation needs no deploy; its content is public). The Worker only serves it: clients verify it
 * with the root they pin, so whoever controls this host cannot add a key.
 *
 * @module
 */
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { etagOf, ifNoneMatch } from "../lib/conditional.ts";
import { HttpError } from "../lib/http.ts";
import { secret } from "../lib/secrets.ts";

/** A rotation publishes the new set well before configs are signed with its new key. */
export const KEY_SET_CACHE_CONTROL = "public, max-age=300";

/**
 * 200 with the compact JWS as `application/jose`, the ETag its version; 304 on a matching
 * `If-None-Match`; 404 NO_KEY_SET when KEY_SET is unset; 500 MISCONFIGURED when it is no JWS.
 *
 * @example
 * curl -i https://flags.example.com/.well-known/edgeflag-keys.jws
 */
export async function getKeySet(request: Request, env: Env): Promise<Response> {
  const jws = secret(env, "KEY_SET");
  if (jws === undefined) throw new HttpError(404, "NO_KEY_SET", "no key set is published here: set the KEY_SET secret (edgeflag keys sign-set)");
  let version: unknown;
  try {
    version = decodeSignedConfig(jws).payload.version;
  } catch {
    // falls through: not a compact JWS
  }
  if (!Number.isSafeInteger(version)) throw new HttpError(500, "MISCONFIGURED", "KEY_SET is not a signed key set (edgeflag keys sign-set)");
  const headers = { ETag: etagOf(version as number), "Cache-Control": KEY_SET_CACHE_CONTROL };
  if (ifNoneMatch(request.headers.get("If-None-Match"), headers.ETag)) return new Response(null, { status: 304, headers });
  return new Response(jws, { headers: { ...headers, "Content-Type": "application/jose" } });
}
