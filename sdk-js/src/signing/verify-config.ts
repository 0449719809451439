/**
 * `verifyConfig`: the one verifier of signed configs, used by the SDK client, the CLI and the
 * Worker alike (contract 3 of DESIGN.md). Built on jose; WebCrypto only.
 *
 * @module
 */
import { compactVerify, decodeProtectedHeader, type JWK } from "jose";
import { validate, type FlagConfig } from "@edgeflag/config-schema";
import { ConfigVerificationError } from "./errors.ts";
import { algOfKey, importKey, keyList, ALLOWED_ALGS, type JWKSet, type SigningAlg } from "./keys.ts";

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

export const DEFAULT_MAX_BYTES = 1_000_000;
const decoder = new TextDecoder();
const fail = (code: ConstructorParameters<typeof ConfigVerificationError>[0], message: string) => new ConfigVerificationError(code, message);

function header(jws: string): { alg?: string; kid?: string } {
  try {
    return decodeProtectedHeader(jws);
  } catch {
    throw fail("MALFORMED", "not a compact JWS");
  }
}

async function checkSignature(jws: string, keys: JWK[]): Promise<{ payload: Uint8Array; kid: string; alg: SigningAlg }> {
  if (jws.split(".").length !== 3) throw fail("MALFORMED", "not a compact JWS (three dot-separated parts)");
  const { alg, kid } = header(jws);
  if (!ALLOWED_ALGS.includes(alg as SigningAlg)) throw fail("ALG_NOT_ALLOWED", `alg "${String(alg)}" is not allowed (ES256 or EdDSA only)`);
  const jwk = keys.find((k) => typeof kid === "string" && k.kid === kid);
  if (!jwk) throw fail("UNKNOWN_KID", `no trusted key has kid "${String(kid)}"`);
  if (algOfKey(jwk) !== alg) throw fail("ALG_NOT_ALLOWED", `alg "${alg}" does not match key "${kid}"`);
  try {
    const { payload } = await compactVerify(jws, await importKey(jwk, alg as SigningAlg), { algorithms: [alg as string] });
    return { payload, kid: kid as string, alg: alg as SigningAlg };
  } catch {
    throw fail("SIGNATURE_INVALID", `the signature does not verify with key "${kid}"`);
  }
}

function parsePayload(bytes: Uint8Array): Record<string, unknown> {
  try {
    const payload = JSON.parse(decoder.decode(bytes));
    if (typeof payload === "object" && payload !== null && !Array.isArray(payload)) return payload;
  } catch {
    // fall through
  }
  throw fail("MALFORMED", "the payload is not a JSON object");
}

/**
 * Verifies a signed config and returns it, or throws a `ConfigVerificationError` whose `code`
 * says why: TOO_LARGE, MALFORMED, ALG_NOT_ALLOWED, UNKNOWN_KID, SIGNATURE_INVALID, WRONG_ENV,
 * ROLLBACK, EXPIRED or SCHEMA_INVALID.
 *
 * @example
 * const { config, version } = await verifyConfig(jws, { keys: jwks, env: "production", minVersion: lastVersion });
 */
export async function verifyConfig(jws: string, options: VerifyConfigOptions): Promise<VerifiedConfig> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof jws !== "string") throw fail("MALFORMED", "a signed config is a string");
  if (jws.length > maxBytes) throw fail("TOO_LARGE", `the signed config is ${jws.length} bytes; at most ${maxBytes} are accepted`);
  const { payload, kid, alg } = await checkSignature(jws.trim(), keyList(options.keys));
  const claims = parsePayload(payload);
  const { env, version, iat, exp } = claims;
  if (env !== options.env) throw fail("WRONG_ENV", `signed for env "${String(env)}", not "${options.env}"`);
  if (!Number.isInteger(version) || !Number.isInteger(iat) || !Number.isInteger(exp)) {
    throw new ConfigVerificationError("SCHEMA_INVALID", "the payload needs integer version, iat and exp");
  }
  if ((version as number) < (options.minVersion ?? 0)) {
    throw fail("ROLLBACK", `version ${version} is older than version ${options.minVersion}, already accepted`);
  }
  const now = options.now ?? Date.now();
  if ((exp as number) * 1000 <= now) throw fail("EXPIRED", `expired at ${new Date((exp as number) * 1000).toISOString()}`);
  const result = validate(claims);
  if (!result.valid) throw new ConfigVerificationError("SCHEMA_INVALID", `the payload is not a valid config: ${result.errors[0]!.pointer}: ${result.errors[0]!.message}`, result.errors);
  return { config: result.config, env: env as string, version: version as number, iat: iat as number, exp: exp as number, kid, alg, jws: jws.trim() };
}
