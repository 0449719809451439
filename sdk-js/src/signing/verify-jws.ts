/**
 * `verifyJws`: checks a compact JWS against pinned keys with WebCrypto alone. jose's verifier
 * would cost ~5 KB gzip of the script-tag bundle's 8 KB, and edgeflag needs only a sliver of
 * JWS: two algorithms, keys picked by `kid`, no extensions. Signing stays with jose.
 *
 * @module
 */
import type { JWK } from "jose";
import type { FlagConfig } from "@edgeflag/config-schema";
import { fail, objectOf } from "./errors.ts";
import { ALLOWED_ALGS, algOfKey, type SigningAlg } from "./key-types.ts";

/** A JWS whose signature verified with the trusted key its `kid` names. */
export interface VerifiedJws {
  payload: Uint8Array;
  kid: string;
  alg: SigningAlg;
  /** The protected header (its `typ` says what was signed: a config or a key set). */
  header: Record<string, unknown>;
}

const WEBCRYPTO = {
  ES256: { key: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  EdDSA: { key: { name: "Ed25519" }, verify: { name: "Ed25519" } },
} as const;
// Both are 64 bytes: ES256 is r||s (RFC 7518 §3.4, the form WebCrypto takes; never DER).
const SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const encoder = new TextEncoder();
const cryptoKeys = new WeakMap<JWK, Promise<CryptoKey>>();

/** base64url without padding; atob alone would also take "=", "+", "/" and whitespace. */
function decodePart(part: string, what: string): Uint8Array<ArrayBuffer> {
  if (BASE64URL.test(part)) {
    try {
      const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return bytes;
    } catch {
      // a length of 4n + 1 characters: falls through
    }
  }
  throw fail("MALFORMED", `the ${what} is not base64url`);
}

/** The three parts of a compact JWS, or MALFORMED. */
export function partsOf(jws: string): [string, string, string] {
  const parts = jws.split(".");
  if (parts.length !== 3) throw fail("MALFORMED", "not a compact JWS");
  return parts as [string, string, string];
}

/**
 * Reads a signed config's header and payload WITHOUT verifying it: for tools that list or
 * compare versions they already trust (history, dry runs, first paint before verification).
 * Never use it to decide what to run. Throws MALFORMED on anything that is not a compact JWS.
 *
 * @example
 * decodeSignedConfig(jws).payload.version
 */
export function decodeSignedConfig(jws: string): { header: { alg?: string; kid?: string }; payload: FlagConfig & { env: string; version: number; iat: number; exp: number } } {
  const [header, payload] = partsOf(jws.trim());
  return {
    header: parseHeader(header) as { alg?: string; kid?: string },
    payload: objectOf(() => decodePart(payload, "payload"), "payload") as unknown as FlagConfig & { env: string; version: number; iat: number; exp: number },
  };
}

/** The protected header of a compact JWS part, refusing `crit` and `b64` (MALFORMED). */
export function parseHeader(part: string): Record<string, unknown> {
  const header = objectOf(() => decodePart(part, "header"), "header");
  // Extensions change what the signature covers (b64: false) or demand support we lack (crit).
  if (Object.hasOwn(header, "crit") || Object.hasOwn(header, "b64")) throw fail("MALFORMED", "crit and b64 are not supported");
  return header;
}

/** Imports a pinned key once per JWK object: every poll reuses the CryptoKey. */
function cryptoKey(jwk: JWK, alg: SigningAlg): Promise<CryptoKey> {
  let key = cryptoKeys.get(jwk);
  if (!key) {
    // Only the key material (algOfKey checked kty and crv): a stray `alg`, `use` or `key_ops`
    // must not make the import fail.
    // (An Ed25519 key has no y: an undefined member is an absent one.)
    const { kty, crv, x, y } = jwk;
    key = crypto.subtle.importKey("jwk", { kty, crv, x, y } as JsonWebKey, WEBCRYPTO[alg].key, false, ["verify"]);
    key.catch(() => cryptoKeys.delete(jwk));
    cryptoKeys.set(jwk, key);
  }
  return key;
}

/**
 * Verifies a compact JWS with the trusted key its `kid` names, or throws a
 * `ConfigVerificationError`: MALFORMED, ALG_NOT_ALLOWED, UNKNOWN_KID or SIGNATURE_INVALID.
 * Keys embedded in the header (`jwk`, `jku`, `x5u`) are ignored: only `keys` are trusted.
 *
 * @example
 * const { payload, kid } = await verifyJws(jws, jwks.keys);
 * JSON.parse(new TextDecoder().decode(payload));
 */
export async function verifyJws(jws: string, keys: readonly JWK[]): Promise<VerifiedJws> {
  const [encodedHeader, encodedPayload, encodedSignature] = partsOf(jws);
  const header = parseHeader(encodedHeader);
  const { alg, kid } = header;
  const payload = decodePart(encodedPayload, "payload");
  const signature = decodePart(encodedSignature, "signature");
  if (!ALLOWED_ALGS.includes(alg as SigningAlg)) throw fail("ALG_NOT_ALLOWED", `alg "${alg}" is not ES256 or EdDSA`);
  const jwk = typeof kid === "string" ? keys.find((k) => k.kid === kid) : undefined;
  if (!jwk) throw fail("UNKNOWN_KID", `no trusted key has kid "${kid}"`);
  const keyAlg = algOfKey(jwk);
  if (!keyAlg || keyAlg !== alg) throw fail("ALG_NOT_ALLOWED", `key "${kid}" is not for ${alg}`);
  let valid = false;
  if (signature.length === SIGNATURE_BYTES) {
    try {
      const key = await cryptoKey(jwk, keyAlg);
      valid = await crypto.subtle.verify(WEBCRYPTO[keyAlg].verify, key, signature, encoder.encode(`${encodedHeader}.${encodedPayload}`));
    } catch {
      // an unusable key or a refused signature: not verified
    }
  }
  if (!valid) throw fail("SIGNATURE_INVALID", `bad signature for key "${kid}"`);
  return { payload, kid: kid as string, alg: keyAlg, header };
}
