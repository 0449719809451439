/**
 * `GET /.well-known/jwks.json`: the public keys that verify edgeflag configs, with their `kid`s
 * (several at once during a rotation).
 *
 * @module
 */
import { publicKeys } from "../lib/keys.ts";

/** Keys change rarely, and a rotation adds the new key well before signing with it. */
export const JWKS_CACHE_CONTROL = "public, max-age=300";

/**
 * 200 with `{ "keys": [...] }` as `application/jwk-set+json`.
 *
 * @example
 * curl https://flags.example.com/.well-known/jwks.json
 */
export async function getJwks(_request: Request, env: Env): Promise<Response> {
  const keys = await publicKeys(env);
  return new Response(JSON.stringify({ keys }, null, 2), {
    headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": JWKS_CACHE_CONTROL },
  });
}
