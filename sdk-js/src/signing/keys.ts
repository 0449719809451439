/**
 * Signing keys: only ES256 (P-256) and EdDSA (Ed25519). A key's `kid` is its RFC 7638
 * thumbprint, so the same key always has the same id.
 *
 * @module
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/** The two signature algorithms edgeflag accepts. */
export type SigningAlg = "ES256" | "EdDSA";
export const ALLOWED_ALGS: readonly SigningAlg[] = ["ES256", "EdDSA"];

/** A set of public keys, as served at /.well-known/jwks.json. */
export interface JWKSet {
  keys: JWK[];
}

/** The algorithm a JWK is for, or null when it is neither a P-256 nor an Ed25519 key. */
export function algOfKey(jwk: JWK): SigningAlg | null {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  return null;
}

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

/** Normalises `keys` (one JWK, a list, or a JWK Set) to a list. */
export function keyList(keys: JWK | JWK[] | JWKSet): JWK[] {
  if (Array.isArray(keys)) return keys;
  if ("keys" in keys && Array.isArray((keys as JWKSet).keys)) return (keys as JWKSet).keys;
  return [keys as JWK];
}

const imported = new WeakMap<JWK, Promise<CryptoKey | Uint8Array>>();

/** Imports a JWK once per object (verification of every poll reuses the CryptoKey). */
export function importKey(jwk: JWK, alg: SigningAlg): Promise<CryptoKey | Uint8Array> {
  let key = imported.get(jwk);
  if (!key) {
    key = importJWK(jwk, alg) as Promise<CryptoKey | Uint8Array>;
    imported.set(jwk, key);
  }
  return key;
}
