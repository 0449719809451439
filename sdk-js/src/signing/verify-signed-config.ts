/**
 * `verifySignedConfig`: contract 3 (signature, env, version, expiry) with the check of the
 * payload's content passed in. `verifyConfig` passes the full schema validator; the SDK's
 * script-tag bundle passes `checkConfigShape`, so neither jose nor the validator is bundled.
 *
 * @module
 */
import type { JWK } from "jose";
import type { FlagConfig, ValidationError } from "@edgeflag/config-schema";
import { ConfigVerificationError, type ConfigErrorCode } from "./errors.ts";
import { keyList, type JWKSet, type SigningAlg } from "./key-types.ts";
import { verifyJws } from "./verify-jws.ts";

/** A config whose signature, env, version and expiry were checked. */
export interface VerifiedConfig {
  config: FlagConfig;
  env: string;
  version: number;
  /** Issued at / expires at, seconds since the epoch. */
  iat: number;
  exp: number;
  kid: string;
  alg: SigningAlg;
  jws: string;
}

export interface VerifyConfigOptions {
  /** The trusted public keys: one JWK, a list, or a JWK Set. `kid` picks the key. */
  keys: JWK | JWK[] | JWKSet;
  /** The environment the config must be signed for. */
  env: string;
  /** Refuse versions below this (the highest version accepted before). */
  minVersion?: number;
  /** The current time in ms since the epoch; default `Date.now()`. */
  now?: number;
  /** Largest JWS accepted, in characters; default 1,000,000. */
  maxBytes?: number;
}

/** Checks a verified payload's content; no errors means it is a config to use. */
export type CheckPayload = (claims: Record<string, unknown>) => ValidationError[];

export const DEFAULT_MAX_BYTES = 1_000_000;
const decoder = new TextDecoder();
const fail = (code: ConfigErrorCode, message: string) => new ConfigVerificationError(code, message);

function parsePayload(bytes: Uint8Array): Record<string, unknown> {
  try {
    const payload = JSON.parse(decoder.decode(bytes));
    if (typeof payload === "object" && payload !== null && !Array.isArray(payload)) return payload;
  } catch {
    // falls through
  }
  throw fail("MALFORMED", "the payload is not a JSON object");
}

/**
 * Verifies a signed config like `verifyConfig`, but checks its content with `checkPayload`.
 * Checks run in this order: size, signature, env, claim types, rollback, expiry, content.
 *
 * @example
 * const verified = await verifySignedConfig(jws, { keys: jwks, env: "production" }, checkConfigShape);
 */
export async function verifySignedConfig(jws: string, options: VerifyConfigOptions, checkPayload: CheckPayload): Promise<VerifiedConfig> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof jws !== "string") throw fail("MALFORMED", "a signed config is a string");
  if (jws.length > maxBytes) throw fail("TOO_LARGE", `the signed config is ${jws.length} bytes; at most ${maxBytes} are accepted`);
  const compact = jws.trim();
  const { payload, kid, alg } = await verifyJws(compact, keyList(options.keys));
  const claims = parsePayload(payload);
  const { env, version, iat, exp } = claims;
  if (env !== options.env) throw fail("WRONG_ENV", `signed for env "${String(env)}", not "${options.env}"`);
  const safe = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!safe(version) || (version as number) < 1 || !safe(iat) || !safe(exp)) throw fail("SCHEMA_INVALID", "the payload needs whole-number version (at least 1), iat and exp below 2^53");
  if ((version as number) < (options.minVersion ?? 0)) throw fail("ROLLBACK", `version ${version} is older than version ${options.minVersion}, already accepted`);
  if ((exp as number) * 1000 <= (options.now ?? Date.now())) throw fail("EXPIRED", `expired at ${new Date((exp as number) * 1000).toISOString()}`);
  const errors = checkPayload(claims);
  if (errors.length > 0) throw new ConfigVerificationError("SCHEMA_INVALID", `the payload is not a valid config: ${errors[0]!.pointer}: ${errors[0]!.message}`, errors);
  return { config: claims as unknown as FlagConfig, env: env as string, version: version as number, iat: iat as number, exp: exp as number, kid, alg, jws: compact };
}
