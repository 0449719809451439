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

/** Keywords that only say "something below failed": their children carry the real reason. */
const WRAPPERS = new Set(["properties", "items", "$ref", "allOf", "if", "additionalProperties", "propertyNames"]);

function resolve(doc: unknown, ptr: string): unknown {
  let node = doc;
  for (const token of ptr.split("/").slice(1)) {
    const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function bound(unit: OutputUnit): string {
  const [, got, limit] = /^(\S+) is (?:less|greater) than (?:or equal to )?(\S+?)\.?$/.exec(unit.error) ?? [];
  const rule = unit.keyword === "minimum" ? "at least" : unit.keyword === "maximum" ? "at most" : "greater than";
  return limit ? `must be ${rule} ${limit} (got ${got})` : unit.error;
}

function describe(unit: OutputUnit, doc: unknown, ptr: string): string {
  const where = unit.keywordLocation;
  if (where.includes("/allOf/") && (unit.keyword === "required" || unit.keyword === "not" || where.includes("/then/properties/"))) {
    const conditionPtr = where.includes("/then/properties/") ? ptr.slice(0, ptr.lastIndexOf("/")) : ptr;
    const op = (resolve(doc, conditionPtr) as { operator?: string } | undefined)?.operator ?? "";
    return `operator "${op}" takes ${OPERAND[op] ?? "a different operand"}`;
  }
  switch (unit.keyword) {
    case "required":
      return unit.error.replace(/^Instance does not have required property (".*")\.$/, "missing required field $1");
    case "false":
      return "unknown field (not in the v1 schema)";
    case "pattern":
      return where.includes("propertyNames")
        ? "key must be 1 to 64 of A-Z a-z 0-9 _ -"
        : `must match ${unit.error.replace(/^String does not match pattern\.?/, "the pattern of ") + where.split("/").slice(-2, -1)[0]}`;
    case "format":
      return "must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z";
    case "enum":
      return `must be one of ${unit.error.replace(/^Instance does not match any of /, "").replace(/\.$/, "")}`;
    case "type":
      return unit.error.replace(/^Instance type "(\w+)" is invalid\. Expected "(.*)"\.$/, 'must be of type $2 (got $1)');
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
      return bound(unit);
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties": {
      const [, got, limit] = /\((\d+) [<>] (\d+)\)/.exec(unit.error) ?? [];
      const what = unit.keyword.endsWith("Length") ? "character" : unit.keyword.endsWith("Items") ? "item" : "entry";
      const minOrMax = unit.keyword.startsWith("min") ? "at least" : "at most";
      const n = limit ?? "1";
      return `must have ${minOrMax} ${n} ${n === "1" ? what : what === "entry" ? "entries" : what + "s"}${got ? ` (has ${got})` : ""}`;
    }
    default:
      return unit.error;
  }
}

function schemaErrors(config: unknown): ValidationError[] {
  validator ??= new Validator(schema as object, "2020-12", false);
  const { errors } = validator.validate(config);
  const out: ValidationError[] = [];
  const seen = new Set<string>();
  for (const unit of errors) {
    if (WRAPPERS.has(unit.keyword)) continue;
    const ptr = decodeURIComponent(unit.instanceLocation.replace(/^#/, ""));
    const message = describe(unit, config, ptr);
    const id = ptr + "\u0000" + message;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ pointer: ptr, message });
  }
  return out;
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
