/**
 * Signed configs (contract 3 of DESIGN.md): `verifyConfig` for every consumer, `signConfig` and
 * key generation for the CLI and the Worker. ES256 and EdDSA only; WebCrypto only.
 *
 * @module
 */
export { verifyConfig, DEFAULT_MAX_BYTES, type VerifiedConfig, type VerifyConfigOptions } from "./verify-config.ts";
export { signConfig, parseDuration, decodeSignedConfig, type SignConfigOptions } from "./sign-config.ts";
export { generateSigningKey, publicJwk, algOfKey, keyList, ALLOWED_ALGS, type SigningAlg, type JWKSet } from "./keys.ts";
export { ConfigVerificationError, type ConfigErrorCode } from "./errors.ts";
export { ConfigGuard, type ConfigGuardOptions, type OfferResult } from "./config-guard.ts";
export type { JWK } from "jose";
