/**
 * `verifyConfig`: the verifier of signed configs for the CLI, the Worker and npm users (contract
 * 3 of DESIGN.md): `verifySignedConfig` with the full v1 schema validator as the content check.
 * WebCrypto only.
 *
 * @module
 */
import { validate } from "@edgeflag/config-schema";
import { verifySignedConfig, type CheckPayload, type VerifiedConfig, type VerifyConfigOptions } from "./verify-signed-config.ts";

export { verifySignedConfig, DEFAULT_MAX_BYTES, type CheckPayload, type VerifiedConfig, type VerifyConfigOptions } from "./verify-signed-config.ts";

/** The full content check: the v1 JSON Schema plus the semantic checks. */
export const checkFullConfig: CheckPayload = (claims) => {
  const result = validate(claims);
  return result.valid ? [] : result.errors;
};

/**
 * Verifies a signed config and returns it, or throws a `ConfigVerificationError` whose `code`
 * says why: TOO_LARGE, MALFORMED, ALG_NOT_ALLOWED, UNKNOWN_KID, SIGNATURE_INVALID, WRONG_ENV,
 * ROLLBACK, EXPIRED or SCHEMA_INVALID.
 *
 * @example
 * const { config, version } = await verifyConfig(jws, { keys: jwks, env: "production", minVersion: lastVersion });
 */
export function verifyConfig(jws: string, options: VerifyConfigOptions): Promise<VerifiedConfig> {
  return verifySignedConfig(jws, options, checkFullConfig);
}
