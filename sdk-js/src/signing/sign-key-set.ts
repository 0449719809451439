/**
 * `signKeySet`: the offline root key signs the set of online keys that sign configs (contract 3).
 * The header carries the root's public JWK, so clients that pin only its thumbprint can verify.
 *
 * @module
 */
import { CompactSign, type JWK } from "jose";
import { KEY_SET_TYP } from "./key-set.ts";
import { algOfKey, importKey, keyList, publicJwk, type JWKSet } from "./keys.ts";

export interface SignKeySetOptions {
  /** The root's private JWK (P-256 or Ed25519), kept offline. */
  root: JWK;
  /** Strictly increasing: clients refuse a key set older than the last one they accepted. */
  version: number;
  /** Lifetime in seconds; default 90 days. */
  ttlSeconds?: number;
  /** Signing time in ms since the epoch; default `Date.now()`. */
  now?: number;
}

/**
 * Signs the key set: exactly the public keys given (private members dropped), nothing added.
 * Refuses the root among them: the root signs key sets, never configs.
 *
 * @example
 * const jws = await signKeySet({ keys: [oldPublic, newPublic] }, { root: rootPrivate, version: 2, ttlSeconds: parseDuration("90d") });
 */
export async function signKeySet(keys: JWK | JWK[] | JWKSet, options: SignKeySetOptions): Promise<string> {
  const { root, version } = options;
  const alg = algOfKey(root);
  if (!alg || typeof root.d !== "string") throw new TypeError("the root must be a private P-256 or Ed25519 JWK");
  if (!Number.isSafeInteger(version) || version < 1) throw new TypeError("the key set's version must be an integer ≥ 1");
  const rootPublic = await publicJwk({ ...root, kid: undefined });
  const listed = await Promise.all(keyList(keys).map((k) => publicJwk(k)));
  if (listed.length === 0) throw new TypeError("the key set must list at least one key");
  if (listed.some((k) => k.kid === rootPublic.kid)) throw new TypeError("the root key must not be in the key set it signs");
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const payload = { keys: listed, version, iat, exp: iat + (options.ttlSeconds ?? 90 * 86400) };
  const { kid, alg: _a, use: _u, ...jwk } = rootPublic;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, kid, typ: KEY_SET_TYP, jwk })
    .sign(await importKey(root, alg));
}
