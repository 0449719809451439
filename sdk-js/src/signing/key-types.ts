/**
 * What a trusted key is, without jose: the two algorithms, JWK Sets, and which algorithm a key
 * is for. The verifier imports only this file, so a bundle that verifies carries no jose.
 *
 * @module
 */
import type { JWK } from "jose";

/** The two signature algorithms edgeflag accepts. */
export type SigningAlg = "ES256" | "EdDSA";

/** The algorithms a signed config may carry in its header; every other `alg` is refused. */
export const ALLOWED_ALGS: readonly SigningAlg[] = ["ES256", "EdDSA"];

/** A set of public keys, as served at /.well-known/jwks.json. */
export interface JWKSet {
  keys: JWK[];
}

/**
 * The algorithm a JWK is for, or null when it is neither a P-256 nor an Ed25519 key.
 *
 * @example
 * algOfKey({ kty: "OKP", crv: "Ed25519", x: "…" }) === "EdDSA"
 */
export function algOfKey(jwk: JWK): SigningAlg | null {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  return null;
}

/**
 * Normalises `keys` (one JWK, a list, or a JWK Set) to a list.
 *
 * @example
 * keyList(await (await fetch(jwksUrl)).json()) // → JWK[]
 */
export function keyList(keys: JWK | JWK[] | JWKSet): JWK[] {
  if (Array.isArray(keys)) return keys;
  if ("keys" in keys && Array.isArray((keys as JWKSet).keys)) return (keys as JWKSet).keys;
  return [keys as JWK];
}
