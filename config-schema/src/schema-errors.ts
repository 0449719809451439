/**
 * Readable errors from @cfworker/json-schema's output: one `{pointer, message}` per real reason,
 * without the wrapper keywords that only say "something below failed". Shared by the config and
 * the event validators, so both speak the same sentences.
 *
 * @module
 */
import type { OutputUnit } from "@cfworker/json-schema";
import type { ValidationError } from "./errors.ts";

/** Keywords that only say "something below failed": their children carry the real reason. */
export const WRAPPERS = new Set(["properties", "items", "$ref", "allOf", "if", "additionalProperties", "propertyNames"]);

/**
 * The value at a JSON pointer of a document (undefined when absent).
 *
 * @example
 * resolvePointer({ a: [1, 2] }, "/a/1") === 2
 */
export function resolvePointer(doc: unknown, ptr: string): unknown {
  let node = doc;
  for (const token of ptr.split("/").slice(1)) {
    const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/**
 * The schema node at a keyword location such as `#/properties/flags/propertyNames/$ref/pattern`,
 * following each `$ref` to its definition, or undefined when the path leads nowhere.
 */
function schemaNodeAt(root: unknown, location: string): unknown {
  let node = root;
  for (const token of location.replace(/^#/, "").split("/").slice(1)) {
    if (typeof node !== "object" || node === null) return undefined;
    const here = node as Record<string, unknown>;
    node = token === "$ref" && typeof here.$ref === "string" ? resolvePointer(root, here.$ref.replace(/^#/, "")) : here[decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/**
 * A failed pattern in words: the pattern itself and, when its schema node says, what it means:
 * "^[A-Za-z0-9_-]{1,64}$ (a flag or allocation key: 1 to 64 of …)".
 */
function describePattern(schema: object, keywordLocation: string): string {
  const node = schemaNodeAt(schema, keywordLocation.slice(0, keywordLocation.lastIndexOf("/"))) as { pattern?: unknown; description?: unknown } | undefined;
  if (typeof node?.pattern !== "string") return "the schema's pattern";
  const meaning = typeof node.description === "string" ? ` (${node.description.charAt(0).toLowerCase()}${node.description.slice(1).replace(/\.$/, "")})` : "";
  return node.pattern + meaning;
}

function bound(unit: OutputUnit): string {
  const [, got, limit] = /^(\S+) is (?:less|greater) than (?:or equal to )?(\S+?)\.?$/.exec(unit.error) ?? [];
  const rule = unit.keyword === "minimum" ? "at least" : unit.keyword === "maximum" ? "at most" : "greater than";
  return limit ? `must be ${rule} ${limit} (got ${got})` : unit.error;
}

/**
 * A sentence for one failed keyword: "missing required field \"x\"", "must be at least 1 (got 0)".
 *
 * @example
 * describeUnit(unit, schema) === 'must be of type number (got string)'
 */
export function describeUnit(unit: OutputUnit, schema: object): string {
  const where = unit.keywordLocation;
  switch (unit.keyword) {
    case "required":
      return unit.error.replace(/^Instance does not have required property (".*")\.$/, "missing required field $1");
    case "false":
      return "unknown field (not in the v1 schema)";
    case "pattern":
      return `${where.includes("/propertyNames/") ? "key must match" : "must match"} ${describePattern(schema, where)}`;
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

/**
 * The readable errors of a validation against `schema` (which a pattern's message quotes),
 * deduplicated; `special` may word a unit itself (return
 * undefined to fall back to {@link describeUnit}).
 *
 * @example
 * const errors = readableErrors(validator.validate(doc).errors, schema);
 */
export function readableErrors(units: readonly OutputUnit[], schema: object, special?: (unit: OutputUnit, ptr: string) => string | undefined): ValidationError[] {
  const out: ValidationError[] = [];
  const seen = new Set<string>();
  for (const unit of units) {
    if (WRAPPERS.has(unit.keyword)) continue;
    const ptr = decodeURIComponent(unit.instanceLocation.replace(/^#/, ""));
    const message = special?.(unit, ptr) ?? describeUnit(unit, schema);
    const id = ptr + "\u0000" + message;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ pointer: ptr, message });
  }
  return out;
}
