/**
 * `verifySignedConfig`: contract 3 (signature, env, version, expiry) with the check of the
 * payload's content passed in. `verifyConfig` passes the full schema validator; a light check
 * (`checkConfigShape`, or the SDK client's "has a flags object") keeps jose and the validator
 * out of small bundles.
 *
 * @module
 */
import type { JWK } from "jose";
import type { FlagConfig, ValidationError } from "@edgeflag/config-schema";
import { ConfigVerificationError, fail, objectOf } from "./errors.ts";
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

/** The JWS trimmed, or MALFORMED when it is not a string, TOO_LARGE over `maxBytes` characters. */
export function sized(jws: unknown, maxBytes = DEFAULT_MAX_BYTES): string {
  if (typeof jws !== "string") throw fail("MALFORMED", "not a string");
  if (jws.length > maxBytes) throw fail("TOO_LARGE", `${jws.length} bytes is over the limit of ${maxBytes}`);
  return jws.trim();
}

/** ROLLBACK: `version` is older than `floor`, the highest version accepted before. */
export const rollback = (version: unknown, floor: unknown): ConfigVerificationError => fail("ROLLBACK", `version ${version} is older than ${floor}, already accepted`);

/**
 * The claims every signed document of edgeflag carries (configs and key sets): `version` (≥ 1),
 * `iat` and `exp` as non-negative safe integers, refused when older than `minVersion` (ROLLBACK)
 * or expired at `now` (EXPIRED).
 *
 * @example
 * checkLifetime(claims, lastVersion, Date.now()).version
 */
export function checkLifetime(claims: Record<string, unknown>, minVersion = 0, now = Date.now()): { version: number; iat: number; exp: number } {
  const { version, iat, exp } = claims;
  const safe = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!safe(version) || (version as number) < 1 || !safe(iat) || !safe(exp)) throw fail("SCHEMA_INVALID", "version (≥ 1), iat and exp must be non-negative safe integers");
  if ((version as number) < minVersion) throw rollback(version, minVersion);
  if ((exp as number) * 1000 <= now) throw fail("EXPIRED", `expired at ${new Date((exp as number) * 1000).toISOString()}`);
  return claims as { version: number; iat: number; exp: number };
}

/**
 * The checks of a payload that do not need its signature (env, claim types, rollback, expiry,
 * content), in that order: what first paint applies to a cached config before verifying it.
 *
 * @example
 * checkClaims(decodeSignedConfig(jws).payload, { env: "production", minVersion, now: Date.now() }, checkConfigShape);
 */
export function checkClaims(claims: object, options: Omit<VerifyConfigOptions, "keys">, checkPayload: CheckPayload): { env: string; version: number; iat: number; exp: number } {
  const { env } = claims as Record<string, unknown>;
  if (env !== options.env) throw fail("WRONG_ENV", `signed for env "${env}", not "${options.env}"`);
  checkLifetime(claims as Record<string, unknown>, options.minVersion, options.now);
  const errors = checkPayload(claims as Record<string, unknown>);
  if (errors.length > 0) throw new ConfigVerificationError("SCHEMA_INVALID", `not a valid config: ${errors[0]!.pointer}: ${errors[0]!.message}`, errors);
  return claims as { env: string; version: number; iat: number; exp: number };
}

/**
 * Verifies a signed config like `verifyConfig`, but checks its content with `checkPayload`.
 * Checks run in this order: size, signature, env, claim types, rollback, expiry, content.
 *
 * @example
 * const verified = await verifySignedConfig(jws, { keys: jwks, env: "production" }, checkConfigShape);
 */
export async function verifySignedConfig(jws: string, options: VerifyConfigOptions, checkPayload: CheckPayload): Promise<VerifiedConfig> {
  const compact = sized(jws, options.maxBytes);
  const { payload, kid, alg } = await verifyJws(compact, keyList(options.keys));
  const claims = objectOf(() => payload, "payload");
  const { env, version, iat, exp } = checkClaims(claims, options, checkPayload);
  return { config: claims as unknown as FlagConfig, env, version, iat, exp, kid, alg, jws: compact };
}
