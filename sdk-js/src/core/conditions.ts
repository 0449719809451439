/**
 * Compiles a condition into a predicate once (regexes, sets, semver, instants), so that
 * evaluation only compares. Semantics: config-schema/SPEC.md §3.
 *
 * @module
 */
import type { Condition } from "@edgeflag/config-schema";
import type { AttributeValue } from "./types.ts";
import { compareSemver, parseSemver, type SemVer } from "./semver.ts";

/** A compiled condition: true when it holds for these attributes. */
export type Predicate = (attributes: Readonly<Record<string, AttributeValue>>) => boolean;

type Scalar = string | number | boolean;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A present attribute value, or undefined when it is missing (absent, null, an object, inherited). */
function present(attributes: Readonly<Record<string, AttributeValue>>, name: string): Scalar | undefined {
  const v = attributes[name];
  const t = typeof v;
  return t === "string" || t === "number" || t === "boolean" ? (v as Scalar) : undefined;
}

function toNumber(v: Scalar): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && DECIMAL.test(v)) return Number(v);
  return NaN;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an RFC 3339 date-time, or NaN. Stricter than `Date.parse`,
 * whose handling of other formats (and of out-of-range fields such as February 30 or hour 24)
 * differs between engines: every field is range-checked here.
 */
export function parseInstant(text: string): number {
  const upper = text.toUpperCase();
  const m = RFC3339.exec(upper);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59 || offH! > 23 || offM! > 59) return NaN;
  return Date.parse(upper);
}

function toInstant(v: Scalar): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return parseInstant(v);
  return NaN;
}

function expectString(cond: Condition): string {
  if (typeof cond.value !== "string") throw new Error(`operator "${cond.operator}" needs a string value`);
  return cond.value;
}

function expectNumber(cond: Condition): number {
  // Number.isFinite is false for anything that is not a number, too.
  if (!Number.isFinite(cond.value)) throw new Error(`operator "${cond.operator}" needs a number value`);
  return cond.value as number;
}

type Test = (v: Scalar) => boolean;

function numeric(cond: Condition, cmp: (a: number, b: number) => boolean): Test {
  const target = expectNumber(cond);
  return (v) => cmp(toNumber(v), target);
}

function semver(cond: Condition, cmp: (c: number) => boolean): Test {
  const target = parseSemver(expectString(cond));
  if (!target) throw new Error(`"${cond.value}" is not a SemVer version`);
  return (v) => {
    const parsed: SemVer | null = typeof v === "string" ? parseSemver(v) : null;
    return parsed !== null && cmp(compareSemver(parsed, target));
  };
}

function instant(cond: Condition, cmp: (a: number, b: number) => boolean): Test {
  const target = parseInstant(expectString(cond));
  if (Number.isNaN(target)) throw new Error(`"${cond.value}" is not a date-time`);
  return (v) => cmp(toInstant(v), target);
}

function membership(cond: Condition): Set<unknown> {
  if (!Array.isArray(cond.values) || cond.values.length === 0) {
    throw new Error(`operator "${cond.operator}" needs a non-empty values list`);
  }
  return new Set(cond.values);
}

/** Longest attribute a `matches` / `not_matches` condition tests (SPEC §3): a bound on any regex's cost. */
const MAX_MATCH_INPUT = 1024;

/** The pattern's test of a string attribute no longer than MAX_MATCH_INPUT; anything else is a wrong type. */
function regex(cond: Condition, found: boolean): Test {
  const re = new RegExp(expectString(cond));
  return (v) => typeof v === "string" && v.length <= MAX_MATCH_INPUT && re.test(v) === found;
}

/** The test each operator applies to a present attribute value; each throws on a malformed condition. */
const TESTS: Record<string, (cond: Condition) => Test> = {
  eq(cond) {
    const target = cond.value;
    return (v) => v === target;
  },
  neq(cond) {
    const target = cond.value;
    return (v) => v !== target;
  },
  not_one_of(cond) {
    const set = membership(cond);
    return (v) => typeof v !== "boolean" && !set.has(v);
  },
  contains(cond) {
    const s = expectString(cond);
    return (v) => typeof v === "string" && v.includes(s);
  },
  starts_with(cond) {
    const s = expectString(cond);
    return (v) => typeof v === "string" && v.startsWith(s);
  },
  ends_with(cond) {
    const s = expectString(cond);
    return (v) => typeof v === "string" && v.endsWith(s);
  },
  matches: (cond) => regex(cond, true),
  not_matches: (cond) => regex(cond, false),
  gt: (cond) => numeric(cond, (a, b) => a > b),
  gte: (cond) => numeric(cond, (a, b) => a >= b),
  lt: (cond) => numeric(cond, (a, b) => a < b),
  lte: (cond) => numeric(cond, (a, b) => a <= b),
  semver_eq: (cond) => semver(cond, (c) => c === 0),
  semver_gt: (cond) => semver(cond, (c) => c > 0),
  semver_gte: (cond) => semver(cond, (c) => c >= 0),
  semver_lt: (cond) => semver(cond, (c) => c < 0),
  semver_lte: (cond) => semver(cond, (c) => c <= 0),
  before: (cond) => instant(cond, (a, b) => a < b),
  after: (cond) => instant(cond, (a, b) => a > b),
  exists: () => () => true,
};

/**
 * Compiles one condition. Throws (at compile time only) when it is malformed.
 *
 * @example
 * const holds = compileCondition({ attribute: "country", operator: "one_of", values: ["FR", "DE"] });
 * holds({ country: "FR" }) // true
 */
export function compileCondition(cond: Condition): Predicate {
  const name = cond.attribute;
  if (typeof name !== "string") throw new Error("condition has no attribute name");
  if (cond.operator === "not_exists") return (attributes) => present(attributes, name) === undefined;
  if (cond.operator === "one_of") {
    const set = membership(cond); // the commonest targeting: one closure, no wrapper
    return (attributes) => {
      const v = attributes[name];
      return (typeof v === "string" || typeof v === "number") && set.has(v);
    };
  }
  // Own properties only: an operator such as "toString" is unknown, not Object.prototype's.
  if (!Object.hasOwn(TESTS, cond.operator)) throw new Error(`unknown operator "${cond.operator}"`);
  const test = TESTS[cond.operator]!(cond);
  return (attributes) => {
    const v = present(attributes, name);
    return v !== undefined && test(v);
  };
}
