/**
 * What a config assigns a subject in one named allocation, from only what an exposure event
 * carries (flag, allocation, subject: no targeting attributes, no clock). The Worker checks each
 * exposure's variant with it, so nobody picks their own arm by posting events. The bucket math is
 * the evaluator's own (`inTraffic`, `pickSplit`), never a copy.
 *
 * @module
 */
import type { CompiledAllocation, CompiledConfig } from "./compile.ts";
import { inTraffic, pickSplit } from "./evaluate.ts";

/** Why no split variant could be derived. */
export type UnassignedCode = "UNKNOWN_FLAG" | "INVALID_FLAG" | "DISABLED" | "UNKNOWN_ALLOCATION" | "NOT_LOGGED" | "OUTSIDE_TRAFFIC" | "EARLIER_ALLOCATION";

/** The variant of the allocation's split, or why the allocation cannot have assigned this subject. */
export type SplitAssignment =
  | { ok: true; variant: string }
  /** `allocation`/`variant`: for EARLIER_ALLOCATION, the allocation that decides instead and what it serves. */
  | { ok: false; code: UnassignedCode; allocation?: string; variant?: string };

/** An allocation that decides for every subject in its traffic, whatever the attributes and the clock. */
const unconditional = (a: CompiledAllocation) => a.rules === null && a.start === -Infinity && a.end === Infinity;

/**
 * The split variant `allocationKey` of `flagKey` gives `subject`, after the checks that need no
 * attributes: the flag runs and is enabled, the allocation exists and logs exposures, the subject
 * passes its traffic gate, and no earlier allocation without rules or time window takes the
 * subject first. Targeting rules and time windows cannot be checked without the context.
 *
 * @example
 * const a = assignedSplit(compileConfig(config), "chat-model", "experiment", "user-42");
 * if (a.ok && a.variant !== event.variant) refuse("ASSIGNMENT_MISMATCH");
 */
export function assignedSplit(compiled: CompiledConfig, flagKey: string, allocationKey: string, subject: string): SplitAssignment {
  const flag = compiled.flags.get(flagKey);
  if (flag === undefined) return { ok: false, code: "UNKNOWN_FLAG" };
  if (!flag.ok) return { ok: false, code: "INVALID_FLAG" };
  if (!flag.enabled) return { ok: false, code: "DISABLED" };
  const all = flag.allocations;
  const at = all.findIndex((a) => a.key === allocationKey);
  if (at < 0) return { ok: false, code: "UNKNOWN_ALLOCATION" };
  const a = all[at]!;
  if (!a.results[0]!.log) return { ok: false, code: "NOT_LOGGED" };
  for (const e of all.slice(0, at)) {
    if (unconditional(e) && inTraffic(e, subject)) return { ok: false, code: "EARLIER_ALLOCATION", allocation: e.key, variant: pickSplit(e, subject).variant! };
  }
  if (!inTraffic(a, subject)) return { ok: false, code: "OUTSIDE_TRAFFIC" };
  return { ok: true, variant: pickSplit(a, subject).variant! };
}
