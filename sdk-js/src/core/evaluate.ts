/**
 * Evaluation (contract 2 of DESIGN.md, SPEC.md §2): pure, synchronous, no I/O, never throws.
 *
 * @module
 */
import { bucketWithPrefix } from "./hash.ts";
import type { CompiledAllocation, CompiledConfig } from "./compile.ts";
import { messageOf } from "./values.ts";
import type { AttributeValue, ErrorCode, EvaluationContext, EvaluationResult, Reason } from "./types.ts";

const NO_ATTRIBUTES: Readonly<Record<string, AttributeValue>> = Object.freeze(Object.create(null));

/** The caller's default, with the reason (and error) it was served for. */
export function callerDefault(flag: string, value: unknown, reason: Reason, errorCode?: ErrorCode, errorMessage?: string): EvaluationResult {
  return { flag, variant: null, value, allocation: null, reason, log: false, ...(errorCode && { errorCode, errorMessage }) };
}

function rulesHold(rules: CompiledAllocation["rules"], attributes: Readonly<Record<string, AttributeValue>>): boolean {
  if (rules === null) return true;
  if (rules.length === 1 && rules[0]!.length === 1) return rules[0]![0]!(attributes);
  for (const conditions of rules) {
    let all = true;
    for (const holds of conditions) {
      if (!holds(attributes)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** Whether the subject's traffic bucket falls in the allocation's rollout range. */
export function inTraffic(a: CompiledAllocation, subject: string): boolean {
  if (a.fullTraffic) return true;
  const b = bucketWithPrefix(a.traffic, subject);
  return b >= a.lo && b < a.hi;
}

/** The frozen result of the split the subject's split bucket falls in. */
export function pickSplit(a: CompiledAllocation, subject: string): EvaluationResult {
  if (a.results.length === 1) return a.results[0]!;
  const b = bucketWithPrefix(a.split, subject);
  const bounds = a.boundaries;
  let i = 0;
  while (b >= bounds[i]!) i++;
  return a.results[i]!;
}

/**
 * Evaluates one flag for one subject. Returns the variant, its value, the deciding allocation,
 * the reason and whether the exposure is logged. A missing or broken flag, or a bad context,
 * gives `defaultValue` back (reason `FLAG_NOT_FOUND` or `ERROR`); nothing is ever thrown.
 *
 * @example
 * const compiled = compileConfig(config);
 * const r = evaluate(compiled, "chat-model", { subject: "user-42", attributes: { country: "FR" } }, "gpt-4o-mini");
 * r.variant; r.value; r.reason; r.log;
 */
export function evaluate(compiled: CompiledConfig, flagKey: string, context: EvaluationContext, defaultValue?: unknown): EvaluationResult {
  try {
    if (compiled.error !== undefined) return callerDefault(flagKey, defaultValue, "ERROR", "INVALID_CONFIG", compiled.error);
    const flag = compiled.flags.get(flagKey);
    if (flag === undefined) return callerDefault(flagKey, defaultValue, "FLAG_NOT_FOUND");
    if (!flag.ok) return callerDefault(flagKey, defaultValue, "ERROR", "INVALID_FLAG", flag.message);
    if (typeof context !== "object" || context === null || typeof context.subject !== "string") {
      return callerDefault(flagKey, defaultValue, "ERROR", "INVALID_CONTEXT", "context.subject must be a string");
    }
    if (!flag.enabled) return flag.disabled;
    const subject = context.subject;
    const attrs = typeof context.attributes === "object" && context.attributes !== null ? context.attributes : NO_ATTRIBUTES;
    const now = flag.timed ? (typeof context.now === "number" && Number.isFinite(context.now) ? context.now : Date.now()) : 0;
    const allocations = flag.allocations;
    for (let i = 0; i < allocations.length; i++) {
      const a = allocations[i]!;
      if (now < a.start || now >= a.end) continue;
      if (!rulesHold(a.rules, attrs)) continue;
      if (!inTraffic(a, subject)) continue;
      return pickSplit(a, subject);
    }
    return flag.fallback;
  } catch (e) {
    return callerDefault(flagKey, defaultValue, "ERROR", "INVALID_FLAG", messageOf(e));
  }
}
