/**
 * Compiles a config once into the structure evaluation walks: predicates, bucket ranges and
 * frozen results, so that one evaluation is little more than two hashes. A flag that cannot be
 * compiled is kept as broken (it evaluates to the caller's default with reason ERROR); the rest
 * of the config still works.
 *
 * @module
 */
import type { Allocation, Flag, FlagConfig } from "@edgeflag/config-schema";
import { hashPrefix, type HashPrefix } from "./hash.ts";
import { compileCondition, parseInstant, type Predicate } from "./conditions.ts";
import type { EvaluationResult } from "./types.ts";
import { isObject, messageOf } from "./values.ts";

/** One allocation, ready to evaluate. */
export interface CompiledAllocation {
  key: string;
  /** Time window [start, end) in ms; -Infinity / Infinity when open. */
  start: number;
  end: number;
  /** Rules (any), each a list of conditions (all); null means everyone. */
  rules: Predicate[][] | null;
  trafficSalt: string;
  /** The hash state after `trafficSalt + "."`. */
  traffic: HashPrefix;
  /** Traffic range [lo, hi) of the traffic bucket; `fullTraffic` when it is [0, 10000). */
  lo: number;
  hi: number;
  fullTraffic: boolean;
  splitSalt: string;
  /** The hash state after `splitSalt + "."`. */
  split: HashPrefix;
  /** Upper bounds (exclusive) of each split's range of the split bucket; the last is 10000. */
  boundaries: number[];
  /** The frozen result served by each split. */
  results: EvaluationResult[];
}

/** A flag ready to evaluate, or the reason it could not be compiled. */
export type CompiledFlag =
  | { ok: true; key: string; enabled: boolean; disabled: EvaluationResult; fallback: EvaluationResult; timed: boolean; allocations: CompiledAllocation[] }
  | { ok: false; key: string; message: string };

/** A compiled config. `error` is set when the document itself is not a config at all. */
export interface CompiledConfig {
  flags: Map<string, CompiledFlag>;
  version?: number;
  env?: string;
  error?: string;
}

/** Whether a document is a config at all (an object with a `flags` object): else nothing in it runs. */
export const hasFlags = (config: unknown): boolean => isObject(config) && isObject(config.flags);

/** A flag that breaks this rule cannot be run: `message` names the field and says what it must be. */
function need(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function result(flag: string, variant: string, value: unknown, allocation: string | null, reason: EvaluationResult["reason"], log: boolean): EvaluationResult {
  return Object.freeze({ flag, variant, value, allocation, reason, log });
}

function instant(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const ms = parseInstant(text);
  if (Number.isNaN(ms)) throw new Error(`${what} "${text}" is not a date-time`);
  return ms;
}

function compileAllocation(flagKey: string, alloc: Allocation, i: number, values: Map<string, unknown>): CompiledAllocation {
  need(typeof alloc?.key === "string", `allocations/${i}/key must be a string`);
  need(Array.isArray(alloc.splits), `allocations/${i}/splits must be an array`);
  const lo = alloc.rolloutOffset ?? 0;
  const hi = lo + (alloc.rollout ?? 10000);
  const total = alloc.splits.reduce((sum, s) => sum + s.weight, 0);
  if (!(total > 0)) throw new Error(`allocation "${alloc.key}" has no positive weight`);
  let cumulative = 0;
  const boundaries = alloc.splits.map((s, i) => {
    cumulative += s.weight;
    return i === alloc.splits.length - 1 ? 10000 : Math.floor((cumulative * 10000) / total);
  });
  const reason = alloc.splits.length > 1 ? "SPLIT" : "TARGETING_MATCH";
  const rules = alloc.rules && alloc.rules.length > 0 ? alloc.rules.map((r) => r.conditions.map(compileCondition)) : null;
  const trafficSalt = alloc.trafficSalt ?? `${flagKey}:${alloc.key}:traffic`;
  const splitSalt = alloc.splitSalt ?? `${flagKey}:${alloc.key}:split`;
  return {
    key: alloc.key,
    start: instant(alloc.startAt, -Infinity, "startAt"),
    end: instant(alloc.endAt, Infinity, "endAt"),
    rules,
    trafficSalt,
    traffic: hashPrefix(trafficSalt),
    lo,
    hi,
    fullTraffic: lo <= 0 && hi >= 10000,
    splitSalt,
    split: hashPrefix(splitSalt),
    boundaries,
    results: alloc.splits.map((s) => result(flagKey, s.variant, variantValue(values, s.variant, `a split of allocation "${alloc.key}"`), alloc.key, reason, alloc.log === true)),
  };
}

/** The value of a variant the flag defines; throws (the flag is broken) for any other name. */
function variantValue(values: Map<string, unknown>, name: string, where: string): unknown {
  if (!values.has(name)) throw new Error(`${where} names "${name}", which the flag does not define`);
  return values.get(name);
}

/**
 * Only what evaluation needs to be right is checked here (the shape the evaluator reads, a
 * variant named but not defined, a regex or date or semver that does not parse): `validate()`
 * refuses everything else before a config is signed, and nothing unsigned reaches a client. The
 * SDK client checks a verified config's content with this alone: the evaluator decides what it
 * can run.
 */
function compileFlag(key: string, flag: Flag): CompiledFlag {
  need(typeof flag?.enabled === "boolean", "enabled must be a boolean");
  need(isObject(flag.variants), "variants must be an object");
  need(Array.isArray(flag.allocations), "allocations must be an array");
  const values = new Map<string, unknown>();
  for (const [name, variant] of Object.entries(flag.variants)) {
    need(variant?.value !== undefined, `variants/${name} has no value`);
    values.set(name, deepFreeze(structuredClone(variant.value)));
  }
  const allocations = flag.allocations.map((a, i) => compileAllocation(key, a, i, values));
  const defaultValue = variantValue(values, flag.defaultVariant, "defaultVariant");
  return {
    ok: true,
    key,
    enabled: flag.enabled,
    disabled: result(key, flag.defaultVariant, defaultValue, null, "DISABLED", false),
    fallback: result(key, flag.defaultVariant, defaultValue, null, "DEFAULT", false),
    timed: allocations.some((a) => a.start !== -Infinity || a.end !== Infinity),
    allocations,
  };
}

/**
 * Compiles a config. Never throws: a broken flag is kept as broken, a document that is not a
 * config gives a compiled config whose `error` says why.
 *
 * @example
 * const compiled = compileConfig(JSON.parse(text));
 * evaluate(compiled, "checkout-model", { subject: "user-42" }, "gpt-4o-mini");
 */
export function compileConfig(config: FlagConfig): CompiledConfig {
  const flags = new Map<string, CompiledFlag>();
  if (!hasFlags(config)) return { flags, error: "the config has no flags object" };
  for (const key of Object.keys(config.flags)) {
    try {
      flags.set(key, compileFlag(key, config.flags[key]!));
    } catch (e) {
      flags.set(key, { ok: false, key, message: `/flags/${key}: ${messageOf(e)}` });
    }
  }
  const compiled: CompiledConfig = { flags };
  if (typeof config.version === "number") compiled.version = config.version;
  if (typeof config.env === "string") compiled.env = config.env;
  return compiled;
}
