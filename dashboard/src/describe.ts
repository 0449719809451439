/**
 * Allocations in words: who they target, what share of traffic, how it is split.
 *
 * @module
 */
import { bps } from "./format.ts";
import type { FlagConfig } from "./types.ts";

type Flag = FlagConfig["flags"][string];
type Allocation = Flag["allocations"][number];
type Condition = NonNullable<Allocation["rules"]>[number]["conditions"][number];

const OPERATORS: Record<string, string> = {
  eq: "is", neq: "is not", one_of: "is one of", not_one_of: "is none of", contains: "contains", starts_with: "starts with", ends_with: "ends with",
  matches: "matches", not_matches: "does not match", gt: ">", gte: "≥", lt: "<", lte: "≤", semver_eq: "is version", semver_gt: "is a version after", semver_gte: "is version or after",
  semver_lt: "is a version before", semver_lte: "is version or before", before: "is before", after: "is after", exists: "is set", not_exists: "is not set",
};

/**
 * One condition in words.
 *
 * @example
 * describeCondition({ attribute: "country", operator: "one_of", values: ["FR", "DE"] }) === "country is one of FR, DE"
 */
export function describeCondition(c: Condition): string {
  const op = OPERATORS[c.operator] ?? c.operator;
  const value = c.values ? c.values.join(", ") : c.value === undefined ? "" : String(c.value);
  return `${c.attribute} ${op}${value === "" ? "" : ` ${value}`}`;
}

/**
 * Who an allocation targets, in words.
 *
 * @example
 * targeting({ key: "a", splits: [] }) === "everyone"
 */
export function targeting(a: Allocation): string {
  const rules = (a.rules ?? []).map((r) => r.conditions.map(describeCondition).join(" and ") || "everyone");
  const who = rules.length === 0 ? "everyone" : rules.join("; or ");
  const window = [a.startAt ? `from ${a.startAt}` : null, a.endAt ? `until ${a.endAt}` : null].filter(Boolean).join(" ");
  return window ? `${who}, ${window}` : who;
}

/**
 * The split as shares.
 *
 * @example
 * splitShares([{ variant: "a", weight: 1 }, { variant: "b", weight: 3 }]) === "a 25%, b 75%"
 */
export function splitShares(splits: Allocation["splits"]): string {
  const total = splits.reduce((t, s) => t + s.weight, 0) || 1;
  return splits.map((s) => `${s.variant} ${bps(Math.round((s.weight / total) * 10000))}`).join(", ");
}
