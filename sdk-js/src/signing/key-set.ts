/**
 * `verifyKeySet`: the root of trust of contract 3. An offline root key signs the key set, a JWS
 * (`typ` `edgeflag-keys+jws`) whose payload lists the online signing keys with its own
 * `version`, `iat` and `exp`; clients pin the root (its public JWK or RFC 7638 thumbprint) and
 * verify configs with the keys of a key set the root signed, so keys rotate without redeploying
 * clients and the host that serves configs cannot add a key. WebCrypto only, no jose: the
 * script tag carries it.
 *
 * @module
 */
import type { JWK } from "jose";
import { isObject } from "../core/values.ts";
import { fail, objectOf } from "./errors.ts";
import { algOfKey } from "./key-types.ts";
import { parseHeader, partsOf, verifyJws } from "./verify-jws.ts";
import { checkLifetime, sized } from "./verify-signed-config.ts";

/** The `typ` of a key set's header: a config (or any other JWS) is never taken for a key set. */
export const KEY_SET_TYP = "edgeflag-keys+jws";

/** A pinned root: its public JWK, or its RFC 7638 thumbprint (the key set's header then carries the JWK). */
export type RootKey = JWK | string;

/** A key set whose root signature, `typ`, version and expiry were checked. */
export interface VerifiedKeySet {
  /** The online keys that sign configs, as listed (each a P-256 or Ed25519 JWK with a kid). */
  keys: JWK[];
  version: number;
  iat: number;
  exp: number;
  /** The root's thumbprint. */
  root: string;
  jws: string;
}

export interface VerifyKeySetOptions {
  root: RootKey;
  /** Refuse versions below this (the highest key-set version accepted before). */
  minVersion?: number;
  /** The current time in ms since the epoch; default `Date.now()`. */
  now?: number;
  maxBytes?: number;
}

/** The members a public key is made of: what is imported, hashed and kept. */
const publicPart = ({ kty, crv, x, y }: JWK): JWK => (kty === "EC" ? { crv, kty, x, y } : { crv, kty, x });

/**
 * The RFC 7638 thumbprint (SHA-256, base64url) of a P-256 or Ed25519 public JWK.
 *
 * @example
 * await thumbprint(rootPublicJwk) // → "s9-c3FTgWKeVB6-4G5DCJrZUFd69kjpCqCp68czVjKo"
 */
export async function thumbprint(jwk: JWK): Promise<string> {
  // The required members in lexicographic order, no whitespace (RFC 7638 §3.3): publicPart's order.
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(publicPart(jwk))));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Verifies a key set with the pinned root, or throws a `ConfigVerificationError`: TOO_LARGE,
 * MALFORMED (also a `typ` other than `edgeflag-keys+jws`), ALG_NOT_ALLOWED, UNKNOWN_KID (signed
 * by a key that is not the root, or a header key that does not match a pinned thumbprint),
 * SIGNATURE_INVALID, SCHEMA_INVALID, ROLLBACK or EXPIRED.
 *
 * @example
 * const set = await verifyKeySet(await (await fetch(`${base}/.well-known/edgeflag-keys.jws`)).text(), { root: "s9-c3FT…", minVersion });
 * await verifyConfig(jws, { keys: set.keys, env: "production" });
 */
export async function verifyKeySet(jws: string, options: VerifyKeySetOptions): Promise<VerifiedKeySet> {
  const compact = sized(jws, options.maxBytes);
  const { root } = options;
  // A pinned thumbprint names the key the header brings; a header key that does not match is never used.
  const offered = typeof root === "string" ? parseHeader(partsOf(compact)[0]).jwk : root;
  const rootKey = isObject(offered) && algOfKey(offered) ? publicPart(offered) : null;
  const id = rootKey && (await thumbprint(rootKey));
  if (!rootKey || (typeof root === "string" && id !== root)) throw fail("UNKNOWN_KID", "not signed by the pinned root");
  const { payload, header } = await verifyJws(compact, [{ ...rootKey, kid: id! }]);
  if (header.typ !== KEY_SET_TYP) throw fail("MALFORMED", `typ "${header.typ}" is not ${KEY_SET_TYP}`);
  const claims = objectOf(() => payload, "payload");
  const { keys } = claims;
  if (!Array.isArray(keys) || !keys.every((k) => isObject(k) && algOfKey(k) && typeof k.kid === "string")) {
    throw fail("SCHEMA_INVALID", "keys: not a list of ES256/EdDSA JWKs with kids");
  }
  const { version, iat, exp } = checkLifetime(claims, options.minVersion, options.now);
  return { keys, version, iat, exp, root: id!, jws: compact };
}
