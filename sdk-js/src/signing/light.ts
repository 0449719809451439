/**
 * The verifying half of `signing/` without jose or the full schema validator: what the SDK
 * client and its script-tag bundle import (`checkConfigShape` for npm users: the client leaves a
 * flag's shape to the compiler). Everything here is also exported by `index.ts`.
 *
 * @module
 */
export { verifySignedConfig, DEFAULT_MAX_BYTES, type CheckPayload, type VerifiedConfig, type VerifyConfigOptions } from "./verify-signed-config.ts";
export { checkConfigShape } from "./check-shape.ts";
export { verifyJws, decodeSignedConfig, type VerifiedJws } from "./verify-jws.ts";
export { algOfKey, keyList, ALLOWED_ALGS, type SigningAlg, type JWKSet } from "./key-types.ts";
export { ConfigVerificationError, type ConfigErrorCode } from "./errors.ts";
export { ConfigGuardCore, type ConfigGuardOptions, type OfferResult, type KeyLoader } from "./config-guard-core.ts";
export { verifyKeySet, thumbprint, KEY_SET_TYP, type RootKey, type VerifiedKeySet, type VerifyKeySetOptions } from "./key-set.ts";
export type { JWK } from "jose";
