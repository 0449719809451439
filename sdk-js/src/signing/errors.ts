/**
 * Why a signed config was refused. Every refusal has a stable string code.
 *
 * @module
 */
import type { ValidationError } from "@edgeflag/config-schema";
import { isObject } from "../core/values.ts";

/** The reasons a signed config is refused (contract 3 of DESIGN.md). */
export type ConfigErrorCode =
  | "TOO_LARGE" // bigger than maxBytes, refused before any parsing
  | "MALFORMED" // not a compact JWS, or its payload is not JSON
  | "ALG_NOT_ALLOWED" // alg other than ES256 / EdDSA (none, HS256…), or not the key's alg
  | "UNKNOWN_KID" // no trusted key has this kid
  | "SIGNATURE_INVALID" // the signature does not verify
  | "WRONG_ENV" // signed for another environment
  | "ROLLBACK" // version lower than the last accepted one
  | "EXPIRED" // exp is in the past
  | "SCHEMA_INVALID" // the verified payload is not a valid v1 config
  | "KEYS_UNAVAILABLE"; // the trusted keys could not be loaded (a JWKS URL down): no verdict on the config

/**
 * Thrown by `verifyConfig` (and by `signConfig` for an invalid config, code SCHEMA_INVALID).
 *
 * @example
 * try { await verifyConfig(jws, options) } catch (e) { if (e instanceof ConfigVerificationError) e.code }
 */
export class ConfigVerificationError extends Error {
  // Declared, not initialised: the constructor sets both (no class-field definitions to emit).
  declare readonly code: ConfigErrorCode;
  declare readonly errors: ValidationError[];
  constructor(code: ConfigErrorCode, message: string, errors: ValidationError[] = []) {
    super(message);
    this.name = "ConfigVerificationError";
    this.code = code;
    this.errors = errors;
  }
}

/** A refusal with its code: what every check of the verifier throws. */
export const fail = (code: ConfigErrorCode, message: string): ConfigVerificationError => new ConfigVerificationError(code, message);

// ignoreBOM is spelled out because workers-types requires it.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The JSON object in the UTF-8 bytes `read` returns, or MALFORMED: "the <what> is not a JSON object". */
export function objectOf(read: () => Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(read()));
  } catch {
    // falls through: bad base64url, UTF-8 or JSON all say the same
  }
  if (!isObject(value)) throw fail("MALFORMED", `the ${what} is not a JSON object`);
  return value;
}
