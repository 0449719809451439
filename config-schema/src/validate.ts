/**
 * `validate(config)`: the JSON Schema plus the semantic checks, every error with its JSON
 * pointer. Uses @cfworker/json-schema, which interprets the schema and never compiles code at
 * runtime, so the same validator runs in the CLI, the Worker (no `eval`) and browsers.
 *
 * @module
 */
import { Validator, type OutputUnit } from "@cfworker/json-schema";
import schema from "../schema/flag-config.v1.json" with { type: "json" };
import { checkSemantics } from "./semantic.ts";
import { describeUnit, readableErrors, resolvePointer } from "./schema-errors.ts";
import type { ValidationError } from "./errors.ts";
import type { FlagConfig } from "./types.gen.ts";

/** The schema's `$id`; its path carries the major version (`/v1/`). */
export const SCHEMA_ID: string = schema.$id;

/** The outcome of {@link validate}. */
export type ValidationResult =
  | { valid: true; errors: []; config: FlagConfig }
  | { valid: false; errors: ValidationError[] };

let validator: Validator | undefined;

/** What each operator takes, for messages about a condition's `value` / `values`. */
const OPERAND: Record<string, string> = {
  eq: 'a "value" (string, number or boolean)',
  neq: 'a "value" (string, number or boolean)',
  one_of: 'a non-empty "values" list',
  not_one_of: 'a non-empty "values" list',
  contains: 'a string "value"',
  starts_with: 'a string "value"',
  ends_with: 'a string "value"',
  matches: 'a string "value" (a regex of at most 256 characters)',
  not_matches: 'a string "value" (a regex of at most 256 characters)',
  gt: 'a number "value"',
  gte: 'a number "value"',
  lt: 'a number "value"',
  lte: 'a number "value"',
  semver_eq: 'a SemVer "value" such as "1.2.3"',
  semver_gt: 'a SemVer "value" such as "1.2.3"',
  semver_gte: 'a SemVer "value" such as "1.2.3"',
  semver_lt: 'a SemVer "value" such as "1.2.3"',
  semver_lte: 'a SemVer "value" such as "1.2.3"',
  before: 'an RFC 3339 date-time "value" such as "2026-01-01T00:00:00Z"',
  after: 'an RFC 3339 date-time "value" such as "2026-01-01T00:00:00Z"',
  exists: 'neither "value" nor "values"',
  not_exists: 'neither "value" nor "values"',
};

/** The operand wording of a condition that breaks an operator's allOf rule. */
function describeCondition(unit: OutputUnit, doc: unknown, ptr: string): string | undefined {
  const where = unit.keywordLocation;
  if (!where.includes("/conditions/items/")) return undefined;
  if (!(where.includes("/allOf/") && (unit.keyword === "required" || unit.keyword === "not" || where.includes("/then/properties/")))) return undefined;
  const conditionPtr = where.includes("/then/properties/") ? ptr.slice(0, ptr.lastIndexOf("/")) : ptr;
  const op = (resolvePointer(doc, conditionPtr) as { operator?: string } | undefined)?.operator ?? "";
  return `operator "${op}" takes ${OPERAND[op] ?? "a different operand"}`;
}

const MODEL_CALL_FIELDS = new Set(Object.keys(schema.$defs.ModelCall.properties));
const VARIANT_VALUE = /^\/flags\/[^/]+\/variants\/[^/]+\/value$/;

/**
 * A model call's provider-dependent rule (ModelCall's allOf) in words that name the provider. A
 * field the provider does not take fails a `false` schema, which @cfworker/json-schema locates at
 * the instance (not the schema), so it is told from an unknown field by its name.
 */
function describeModelCall(unit: OutputUnit, doc: unknown, ptr: string): string | undefined {
  const field = ptr.slice(ptr.lastIndexOf("/") + 1);
  const owner = unit.keyword === "false" ? ptr.slice(0, ptr.lastIndexOf("/")) : ptr;
  if (!VARIANT_VALUE.test(owner)) return undefined;
  const provider = (resolvePointer(doc, owner) as { provider?: unknown } | undefined)?.provider;
  if (typeof provider !== "string") return undefined;
  if (unit.keyword === "false" && MODEL_CALL_FIELDS.has(field)) return `provider "${provider}" takes no "${field}"`;
  if (unit.keyword === "required" && /\/allOf\/\d+\/then\/required$/.test(unit.keywordLocation)) return `${describeUnit(unit, schema)} (provider "${provider}" needs it)`;
  return undefined;
}

function schemaErrors(config: unknown): ValidationError[] {
  validator ??= new Validator(schema as object, "2020-12", false);
  return readableErrors(validator.validate(config).errors, schema, (unit, ptr) => describeCondition(unit, config, ptr) ?? describeModelCall(unit, config, ptr));
}

/**
 * Validates a flag config: the v1 JSON Schema, then the semantic checks of SPEC.md §4.
 *
 * @example
 * const result = validate(JSON.parse(text));
 * if (!result.valid) for (const e of result.errors) console.error(`${e.pointer}: ${e.message}`);
 */
export function validate(config: unknown): ValidationResult {
  const errors = [...schemaErrors(config), ...checkSemantics(config)];
  if (errors.length === 0) return { valid: true, errors: [], config: config as FlagConfig };
  return { valid: false, errors };
}
