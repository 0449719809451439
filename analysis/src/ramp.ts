/**
 * A ramp's next step, decided from one look: pure, so the Worker's minute cron, the dashboard's
 * preview and the tests all run the same rules. The watcher applies the decision as a new signed
 * config version through the env's single writer; this module only says what and why.
 *
 * The rules, in order:
 * 1. a ramp that is not running (paused, held, rolled back, completed) does nothing;
 * 2. a budget breach acts at once (a variant over its daily budget is stopped whatever else);
 * 3. a sample-ratio mismatch holds the ramp: the comparisons cannot be trusted;
 * 4. a guardrail breach acts: `rollback` before `hold`; `warn` only reports;
 * 5. once the stage has run its minimum duration: every arm at its minimum subjects advances
 *    (the last stage completes); otherwise the stage is extended once by its duration, and
 *    after that follows the ramp's `onThin` (`hold` by default, or `advance`).
 * No data and thin data never roll back: a guardrail without its minimum sample is
 * `insufficient`, never a breach.
 *
 * @module
 */
import type { Ramp } from "@edgeflag/config-schema";
import type { GuardrailAction, GuardrailResult } from "./guardrails.ts";

export type { Ramp, RampStage } from "@edgeflag/config-schema";

/** Exposed subjects each arm needs before a stage advances, when the stage does not say. */
export const DEFAULT_STAGE_SUBJECTS = 100;

/** Where a ramp stands (kept by the env's writer, next to the config history). */
export interface RampState {
  stage: number;
  stageStartedAt: number;
  extended: boolean;
  status: "running" | "paused" | "held" | "rolled_back" | "completed";
}

/** What one look saw. */
export interface RampLook {
  now: number;
  /** Exposed subjects per arm of the allocation since the ramp began. */
  subjects: Record<string, number>;
  srm: { mismatch: boolean; pValue: number } | null;
  guardrails: GuardrailResult[];
}

/** The decision and the numbers behind it. */
export interface RampDecision {
  action: "none" | "advance" | "extend" | "complete" | GuardrailAction;
  /** The state after the decision (unchanged for none and warn). */
  state: RampState;
  /** The allocation's rollout after the decision (0 after a rollback). */
  rollout: number;
  reason: string;
  /** Guardrails that fired with action warn (reported, never acted on). */
  warnings: GuardrailResult[];
}

const MINUTE = 60_000;

/**
 * The next step of a ramp.
 *
 * @example
 * const d = decideRamp(ramp, state, look);
 * if (d.action !== "none" && d.action !== "warn") await writer.applyRamp(flag, allocation, d);
 */
export function decideRamp(ramp: Ramp, state: RampState, look: RampLook): RampDecision {
  const stage = ramp.stages[state.stage];
  const rollout = stage?.rollout ?? 0;
  const stay = (reason: string, action: RampDecision["action"] = "none"): RampDecision => ({ action, state, rollout, reason, warnings });
  const warnings = look.guardrails.filter((g) => g.status === "breach" && g.action === "warn");
  if (state.status !== "running" || stage === undefined) return stay(`the ramp is ${state.status}`);
  const act = (action: GuardrailAction, reason: string): RampDecision => {
    if (action === "rollback") return { action, state: { ...state, status: "rolled_back" }, rollout: 0, reason, warnings };
    if (action === "hold") return { action, state: { ...state, status: "held" }, rollout, reason, warnings };
    return { action: "warn", state, rollout, reason, warnings };
  };
  const budget = look.guardrails.find((g) => g.status === "breach" && g.metric.startsWith("daily_cost") && g.action !== "warn");
  if (budget) return act(budget.action, `budget: ${budget.reason}`);
  if (look.srm?.mismatch) return act("hold", `sample-ratio mismatch (p ${look.srm.pValue < 0.001 ? look.srm.pValue.toExponential(1) : look.srm.pValue.toPrecision(2)}): the split is broken, so the guardrails cannot be trusted; fix it, then resume`);
  for (const action of ["rollback", "hold"] as const) {
    const fired = look.guardrails.filter((g) => g.status === "breach" && g.action === action);
    if (fired.length > 0) return act(action, fired.map((g) => `${g.metric}: ${g.reason}`).join("; "));
  }
  const due = state.stageStartedAt + stage.minDurationMinutes * MINUTE * (state.extended ? 2 : 1);
  if (look.now < due) return stay(`stage ${state.stage + 1} of ${ramp.stages.length} runs until ${new Date(due).toISOString()}`, warnings.length ? "warn" : "none");
  const minSubjects = stage.minSubjects ?? DEFAULT_STAGE_SUBJECTS;
  const thin = Object.entries(look.subjects).filter(([, n]) => n < minSubjects);
  if (thin.length === 0 || (state.extended && (ramp.onThin ?? "hold") === "advance")) {
    const why = thin.length === 0 ? `every arm has at least ${minSubjects} subjects` : `still thin after its extension (${describe(thin)}), and onThin is advance`;
    const next = state.stage + 1;
    if (next >= ramp.stages.length) return { action: "complete", state: { ...state, status: "completed" }, rollout, reason: `last stage done: ${why}`, warnings };
    return { action: "advance", state: { stage: next, stageStartedAt: look.now, extended: false, status: "running" }, rollout: ramp.stages[next]!.rollout, reason: `stage ${state.stage + 1} healthy for ${stage.minDurationMinutes} min, ${why}`, warnings };
  }
  if (!state.extended) return { action: "extend", state: { ...state, extended: true }, rollout, reason: `stage ${state.stage + 1} lacks subjects (${describe(thin)} of ${minSubjects}): extended once by ${stage.minDurationMinutes} min`, warnings };
  return act("hold", `stage ${state.stage + 1} still lacks subjects after its extension (${describe(thin)} of ${minSubjects}): held`);
}

const describe = (thin: [string, number][]): string => thin.map(([v, n]) => `${v} ${n}`).join(", ");
