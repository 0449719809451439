/**
 * `signConfig`: validates a config and signs it for one env and version (contract 3).
 *
 * @module
 */
import { CompactSign, type JWK } from "jose";
import { validate, formatErrors, type FlagConfig } from "@edgeflag/config-schema";
import { ConfigVerificationError } from "./errors.ts";
import { algOfKey, importKey, publicJwk } from "./keys.ts";

export interface SignConfigOptions {
  /** The private JWK (P-256 or Ed25519). Its `kid` (or thumbprint) goes in the header. */
  key: JWK;
  env: string;
  /** Strictly increasing per env. */
  version: number;
  /** Lifetime in seconds; default 30 days. */
  ttlSeconds?: number;
  /** Signing time in ms since the epoch; default `Date.now()`. */
  now?: number;
}

const DURATION = /^(\d+)\s*(s|m|h|d|w)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses "30d", "12h", "90m", "3600" (seconds) to seconds; NaN when it is not a duration. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_SECONDS[m[2] ?? "s"]! : NaN;
}

/**
 * Signs a config. Refuses an invalid config (code SCHEMA_INVALID, with every error).
 *
 * @example
 * const jws = await signConfig(config, { key: privateJwk, env: "production", version: 7, ttlSeconds: parseDuration("30d") });
 */
export async function signConfig(config: FlagConfig, options: SignConfigOptions): Promise<string> {
  const { env: _e, version: _v, iat: _i, exp: _x, ...content } = config;
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const payload = { ...content, env: options.env, version: options.version, iat, exp: iat + (options.ttlSeconds ?? 30 * 86400) };
  const result = validate(payload);
  if (!result.valid) {
    throw new ConfigVerificationError("SCHEMA_INVALID", `the config is not valid:\n${formatErrors(result.errors)}`, result.errors);
  }
  const alg = algOfKey(options.key);
  if (!alg || typeof options.key.d !== "string") throw new TypeError("the signing key must be a private P-256 or Ed25519 JWK");
  const { kid } = await publicJwk(options.key);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, kid, typ: "edgeflag-config+jws" })
    .sign(await importKey(options.key, alg));
}
