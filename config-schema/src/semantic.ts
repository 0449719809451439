/**
 * The semantic checks that JSON Schema cannot express (SPEC.md §4; those of model calls are in
 * model-call.ts), part of `validate()`, which signing runs: no config that breaks them is signed.
 * They run on any input without throwing.
 *
 * @module
 */
import { pointer, type ValidationError } from "./errors.ts";
import { checkModelCalls } from "./model-call.ts";
import { backtrackingRisk, MAX_PATTERNS } from "./regex-safety.ts";

/** Longest `matches` / `not_matches` pattern accepted, in UTF-16 code units. */
const MAX_PATTERN_LENGTH = 256;

const REGEX_OPERATORS = new Set(["matches", "not_matches"]);

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/** The distinct patterns of one config checked so far (checking each once bounds the cost). */
type Seen = Set<string>;

/** Checks one regex pattern: bounded length, it compiles, and it cannot backtrack catastrophically. Returns the reason, or null. */
function checkPattern(pattern: unknown, seen: Seen): string | null {
  if (typeof pattern !== "string") return "pattern must be a string";
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  try {
    new RegExp(pattern);
  } catch (e) {
    return `pattern does not compile: ${(e as Error).message}`;
  }
  if (seen.has(pattern)) return null;
  if (seen.size >= MAX_PATTERNS) return `the config holds more than ${MAX_PATTERNS} distinct patterns; at most ${MAX_PATTERNS} are allowed`;
  seen.add(pattern);
  return backtrackingRisk(pattern);
}

function checkAllocation(flag: Loose, alloc: Loose, at: string[], errors: ValidationError[], patterns: Seen): void {
  const variants = isObject(flag.variants) ? flag.variants : {};
  const splits = Array.isArray(alloc.splits) ? alloc.splits : [];
  const seen = new Set<unknown>();
  splits.forEach((split, i) => {
    if (!isObject(split)) return;
    const p = pointer(...at, "splits", i, "variant");
    if (typeof split.variant === "string" && !Object.hasOwn(variants, split.variant)) {
      errors.push({ pointer: p, message: `split names variant "${split.variant}", which the flag does not define` });
    } else if (seen.has(split.variant)) {
      errors.push({ pointer: p, message: `variant "${String(split.variant)}" appears in two splits of this allocation` });
    }
    seen.add(split.variant);
  });
  const rules = Array.isArray(alloc.rules) ? alloc.rules : [];
  rules.forEach((rule, r) => {
    const conditions = isObject(rule) && Array.isArray(rule.conditions) ? rule.conditions : [];
    conditions.forEach((cond, c) => {
      if (!isObject(cond) || !REGEX_OPERATORS.has(cond.operator as string) || !("value" in cond)) return;
      const reason = checkPattern(cond.value, patterns);
      if (reason) errors.push({ pointer: pointer(...at, "rules", r, "conditions", c, "value"), message: reason });
    });
  });
  if (typeof alloc.startAt === "string" && typeof alloc.endAt === "string") {
    const start = Date.parse(alloc.startAt);
    const end = Date.parse(alloc.endAt);
    if (start >= end) {
      errors.push({ pointer: pointer(...at, "endAt"), message: `endAt (${alloc.endAt}) must be later than startAt (${alloc.startAt})` });
    }
  }
  const offset = typeof alloc.rolloutOffset === "number" ? alloc.rolloutOffset : 0;
  const rollout = typeof alloc.rollout === "number" ? alloc.rollout : 10000;
  if (offset + rollout > 10000 && offset <= 10000 && rollout <= 10000) {
    errors.push({
      pointer: pointer(...at, "rollout"),
      message: `rolloutOffset + rollout is ${offset + rollout}; the traffic range must end at or before 10000`,
    });
  }
}

/**
 * The semantic errors of one flag. `flagKey` is used for pointers only.
 *
 * @example
 * checkFlag("f", { enabled: true, variants: { on: { value: true } }, defaultVariant: "off", allocations: [] })
 * // → [{ pointer: "/flags/f/defaultVariant", message: 'defaultVariant names "off", which …' }]
 */
function checkFlag(flagKey: string, flag: unknown, seen: Seen): ValidationError[] {
  const errors: ValidationError[] = [];
  if (!isObject(flag)) return errors;
  const variants = isObject(flag.variants) ? flag.variants : {};
  if (typeof flag.defaultVariant === "string" && !Object.hasOwn(variants, flag.defaultVariant)) {
    errors.push({
      pointer: pointer("flags", flagKey, "defaultVariant"),
      message: `defaultVariant names "${flag.defaultVariant}", which the flag does not define`,
    });
  }
  const allocations = Array.isArray(flag.allocations) ? flag.allocations : [];
  const keys = new Set<unknown>();
  allocations.forEach((alloc, i) => {
    if (!isObject(alloc)) return;
    const at = ["flags", flagKey, "allocations", String(i)];
    if (keys.has(alloc.key)) {
      errors.push({ pointer: pointer(...at, "key"), message: `allocation key "${String(alloc.key)}" is used twice in this flag` });
    }
    keys.add(alloc.key);
    checkAllocation(flag, alloc, at, errors, seen);
  });
  checkExperiment(flagKey, flag, errors);
  errors.push(...checkModelCalls(flagKey, flag));
  return errors;
}

/** An experiment names a variant and an allocation of its own flag. */
function checkExperiment(flagKey: string, flag: Loose, errors: ValidationError[]): void {
  const experiment = flag.experiment;
  if (!isObject(experiment)) return;
  const variants = isObject(flag.variants) ? flag.variants : {};
  if (typeof experiment.control === "string" && !Object.hasOwn(variants, experiment.control)) {
    errors.push({ pointer: pointer("flags", flagKey, "experiment", "control"), message: `control names "${experiment.control}", which the flag does not define` });
  }
  const allocations = (Array.isArray(flag.allocations) ? flag.allocations : []).filter(isObject);
  if (typeof experiment.allocation === "string" && !allocations.some((a) => a.key === experiment.allocation)) {
    errors.push({ pointer: pointer("flags", flagKey, "experiment", "allocation"), message: `allocation names "${experiment.allocation}", which the flag does not have` });
    return;
  }
  // The control is compared with the other arms of the analysed allocation, so it must be one.
  const analysed = typeof experiment.allocation === "string" ? allocations.find((a) => a.key === experiment.allocation) : allocations.find((a) => a.log === true);
  const arms = Array.isArray(analysed?.splits) ? analysed.splits.filter(isObject).map((s) => s.variant) : null;
  if (typeof experiment.control === "string" && Object.hasOwn(variants, experiment.control) && arms !== null && !arms.includes(experiment.control)) {
    errors.push({ pointer: pointer("flags", flagKey, "experiment", "control"), message: `control "${experiment.control}" is not one of the splits of allocation "${String(analysed!.key)}"` });
  }
}

/** The semantic errors of a whole config (every flag). */
export function checkSemantics(config: unknown): ValidationError[] {
  if (!isObject(config) || !isObject(config.flags)) return [];
  const flags = config.flags;
  const seen: Seen = new Set();
  return Object.keys(flags).flatMap((key) => checkFlag(key, flags[key], seen));
}
