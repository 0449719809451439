/**
 * Signing keys: only ES256 (P-256) and EdDSA (Ed25519). A key's `kid` is its RFC 7638
 * thumbprint, so the same key always has the same id. Built on jose, so only the CLI and the
 * Worker (which sign) load this file; verification needs only `key-types.ts`.
 *
 * @module
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { algOfKey, type SigningAlg } from "./key-types.ts";

export { algOfKey, keyList, ALLOWED_ALGS, type SigningAlg, type JWKSet } from "./key-types.ts";

/** The public half of a JWK (drops `d`), with `kid`, `alg` and `use` set. */
export async function publicJwk(jwk: JWK): Promise<JWK> {
  const alg = algOfKey(jwk);
  if (!alg) throw new TypeError("only P-256 (ES256) and Ed25519 (EdDSA) keys are supported");
  const { d: _private, ...pub } = jwk;
  const core = jwk.kty === "EC" ? { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y } : { kty: pub.kty, crv: pub.crv, x: pub.x };
  return { ...core, kid: jwk.kid ?? (await calculateJwkThumbprint(core as JWK, "sha256")), alg, use: "sig" };
}

/**
 * Makes a new signing key pair; both halves carry the same `kid` (the RFC 7638 thumbprint).
 *
 * @example
 * const { privateJwk, publicJwk } = await generateSigningKey("EdDSA");
 */
export async function generateSigningKey(alg: SigningAlg = "ES256"): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, crv: alg === "EdDSA" ? "Ed25519" : undefined });
  const exported = await exportJWK(privateKey);
  const pub = await publicJwk(exported);
  return { privateJwk: { ...exported, kid: pub.kid, alg, use: "sig" }, publicJwk: pub };
}

const imported = new WeakMap<JWK, Promise<CryptoKey | Uint8Array>>();

/** Imports a JWK for jose once per object (signing many configs reuses the key). */
export function importKey(jwk: JWK, alg: SigningAlg): Promise<CryptoKey | Uint8Array> {
  let key = imported.get(jwk);
  if (!key) {
    key = importJWK(jwk, alg) as Promise<CryptoKey | Uint8Array>;
    imported.set(jwk, key);
  }
  return key;
}
