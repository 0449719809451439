/**
 * Signed configs (contract 3 of DESIGN.md): `verifyConfig` for every consumer, `signConfig` and
 * key generation for the CLI and the Worker. ES256 and EdDSA only; WebCrypto only. Verification
 * never loads jose; `verifySignedConfig` (or `ConfigGuardCore`) with a light check such as
 * `checkConfigShape` also leaves out the full schema validator, for small bundles.
 *
 * @module
 */
export { verifyConfig, checkFullConfig } from "./verify-config.ts";
export { verifySignedConfig, DEFAULT_MAX_BYTES, type CheckPayload, type VerifiedConfig, type VerifyConfigOptions } from "./verify-signed-config.ts";
export { checkConfigShape } from "./check-shape.ts";
export { signConfig, parseDuration, type SignConfigOptions } from "./sign-config.ts";
export { decodeSignedConfig } from "./verify-jws.ts";
export { generateSigningKey, publicJwk } from "./keys.ts";
export { algOfKey, keyList, ALLOWED_ALGS, type SigningAlg, type JWKSet } from "./key-types.ts";
export { ConfigVerificationError, type ConfigErrorCode } from "./errors.ts";
export { ConfigGuard } from "./config-guard.ts";
export { ConfigGuardCore, type ConfigGuardOptions, type OfferResult, type KeyLoader } from "./config-guard-core.ts";
export { verifyKeySet, thumbprint, KEY_SET_TYP, type RootKey, type VerifiedKeySet, type VerifyKeySetOptions } from "./key-set.ts";
export { signKeySet, type SignKeySetOptions } from "./sign-key-set.ts";
export type { JWK } from "jose";
