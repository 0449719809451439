/**
 * The pure edits behind a change of an env's config: the content of a stored version without
 * its signing claims (what a rollback or a renewal republishes), the kill switch, and a ramp's
 * rollout. Refusals
 * are `ConfigChangeError`s with a stable code, which the Worker answers as HTTP and the CLI prints.
 *
 * @module
 */
import type { Flag, FlagConfig } from "../types.gen.ts";

/** Why a change was refused. */
export type ConfigChangeCode = "VERSION_CONFLICT" | "ENV_NOT_FOUND" | "VERSION_NOT_FOUND" | "UNKNOWN_FLAG" | "UNKNOWN_VARIANT" | "UNKNOWN_ALLOCATION";

/**
 * A refused change: `code` is stable, `pointer` names the request field at fault, `latest` (for
 * VERSION_CONFLICT) is the version the change lost to.
 *
 * @example
 * throw new ConfigChangeError("UNKNOWN_FLAG", 'the latest config has no flag "x"', { pointer: "/flag" });
 */
export class ConfigChangeError extends Error {
  readonly code: ConfigChangeCode;
  readonly pointer?: string;
  readonly latest?: number;
  constructor(code: ConfigChangeCode, message: string, extra: { pointer?: string; latest?: number } = {}) {
    super(message);
    this.name = "ConfigChangeError";
    this.code = code;
    if (extra.pointer !== undefined) this.pointer = extra.pointer;
    if (extra.latest !== undefined) this.latest = extra.latest;
  }
}

/** The claims signing adds to a config's payload. */
export interface SigningClaims {
  env: string;
  version: number;
  iat: number;
  exp: number;
}

/**
 * The config content of a signed payload, without the claims signing added (env, version, iat,
 * exp): what a rollback or a renewal signs again as a new version.
 *
 * @example
 * const content = stripSigningClaims(decodeSignedConfig(jws).payload);
 */
export function stripSigningClaims(payload: FlagConfig & Partial<SigningClaims>): FlagConfig {
  const { env: _env, version: _version, iat: _iat, exp: _exp, ...content } = payload;
  return content;
}

/**
 * The kill switch: the flag disabled with `defaultVariant` = `variant`, so every subject gets that
 * variant (reason DISABLED) and no exposure is logged. Refuses an unknown flag or variant.
 *
 * @example
 * const next = killSwitch(current, "chat-model", "fixed");
 */
export function killSwitch(config: FlagConfig, flagKey: string, variant: string): FlagConfig {
  const flags = config.flags ?? {};
  if (!Object.hasOwn(flags, flagKey)) throw new ConfigChangeError("UNKNOWN_FLAG", `the latest config has no flag "${flagKey}"`, { pointer: "/flag" });
  const flag: Flag = flags[flagKey]!;
  if (!Object.hasOwn(flag.variants ?? {}, variant)) {
    const known = Object.keys(flag.variants ?? {}).map((v) => `"${v}"`).join(", ");
    throw new ConfigChangeError("UNKNOWN_VARIANT", `flag "${flagKey}" has no variant "${variant}" (it has ${known})`, { pointer: "/variant" });
  }
  return { ...config, flags: { ...flags, [flagKey]: { ...flag, enabled: false, defaultVariant: variant } } };
}

/**
 * A ramp step: allocation `allocationKey` of flag `flagKey` with its rollout set to `rollout`
 * basis points (0 after a rollback: nobody enters it, the control everywhere). Only the traffic
 * gate moves, so a subject already in the allocation keeps their arm (contract 2).
 *
 * @example
 * const next = setRollout(current, "chat-model", "ramp", 2500);
 */
export function setRollout(config: FlagConfig, flagKey: string, allocationKey: string, rollout: number): FlagConfig {
  const flags = config.flags ?? {};
  if (!Object.hasOwn(flags, flagKey)) throw new ConfigChangeError("UNKNOWN_FLAG", `the latest config has no flag "${flagKey}"`, { pointer: "/flag" });
  const flag: Flag = flags[flagKey]!;
  const index = flag.allocations.findIndex((a) => a.key === allocationKey);
  if (index < 0) throw new ConfigChangeError("UNKNOWN_ALLOCATION", `flag "${flagKey}" has no allocation "${allocationKey}"`, { pointer: "/allocation" });
  const allocations = flag.allocations.map((a, i) => (i === index ? { ...a, rollout } : a));
  return { ...config, flags: { ...flags, [flagKey]: { ...flag, allocations } } };
}
