/**
 * `checkConfigShape`: a light content check for `verifySignedConfig`, for npm users who verify
 * without the full validator (~10 KB gzip). The payload's signature already verified, so it was
 * validated against the full schema when it was signed; what is left is to make sure it has the
 * shape the evaluator reads, and to refuse the whole config when it does not. (The SDK client
 * does not use it: it refuses only a payload without a flags object, and leaves each flag to the
 * compiler, which breaks just the flag it cannot run.)
 *
 * @module
 */
import { pointer, type ValidationError } from "@edgeflag/config-schema/errors";
import { isObject } from "../core/values.ts";

type Loose = Record<string, unknown>;

function checkFlagShape(key: string, flag: unknown, errors: ValidationError[]): void {
  // The pointer names the field; the message says what it must be.
  const need = (ok: boolean, at: Array<string | number>, what: string) => {
    if (!ok) errors.push({ pointer: pointer("flags", key, ...at), message: `must be ${what}` });
    return ok;
  };
  if (!need(isObject(flag), [], "an object")) return;
  const { enabled, variants, defaultVariant, allocations } = flag as Loose;
  need(typeof enabled === "boolean", ["enabled"], "a boolean");
  if (need(isObject(variants), ["variants"], "an object")) {
    for (const [name, variant] of Object.entries(variants as Loose)) need(isObject(variant) && "value" in variant, ["variants", name], "an object with a value");
  }
  need(typeof defaultVariant === "string", ["defaultVariant"], "a string");
  if (!need(Array.isArray(allocations), ["allocations"], "an array")) return;
  (allocations as unknown[]).forEach((alloc, i) => {
    if (!need(isObject(alloc), ["allocations", i], "an object")) return;
    const { key: allocKey, splits } = alloc as Loose;
    need(typeof allocKey === "string", ["allocations", i, "key"], "a string");
    need(Array.isArray(splits) && splits.length > 0, ["allocations", i, "splits"], "a non-empty array");
  });
}

/**
 * The structural errors of a verified payload, each with its JSON pointer: a
 * lighter stand-in for `validate` where bundle size matters.
 *
 * @example
 * const verified = await verifySignedConfig(jws, { keys, env: "production" }, checkConfigShape);
 * checkConfigShape({ flags: { f: { enabled: "yes" } } })[0] // → { pointer: "/flags/f/enabled", … }
 */
export function checkConfigShape(payload: unknown): ValidationError[] {
  if (!isObject(payload)) return [{ pointer: "", message: "must be an object" }];
  if (!isObject(payload.flags)) return [{ pointer: "/flags", message: "must be an object" }];
  const errors: ValidationError[] = [];
  for (const [key, flag] of Object.entries(payload.flags)) checkFlagShape(key, flag, errors);
  return errors;
}
