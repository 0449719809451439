/**
 * The semantic checks of a ramp (an allocation's guarded rollout) that JSON Schema cannot state:
 * stages only ramp up (so no subject ever leaves the allocation's treatment while it runs), the
 * allocation logs exposures and has a control and a treatment to compare, and a budget is an
 * absolute amount.
 *
 * @module
 */
import { pointer, type ValidationError } from "./errors.ts";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The problems of allocation `alloc`'s ramp, with pointers under `at` (the allocation's tokens).
 *
 * @example
 * checkRamp({ key: "r", log: true, splits: [{ variant: "a", weight: 1 }], ramp: { stages: [{ rollout: 500, minDurationMinutes: 60 }, { rollout: 100, minDurationMinutes: 60 }] } }, ["flags", "f", "allocations", "0"])
 * // → stages must increase; a ramp needs a control and a treatment
 */
export function checkRamp(alloc: Loose, at: string[]): ValidationError[] {
  const ramp = alloc.ramp;
  if (!isObject(ramp)) return [];
  const errors: ValidationError[] = [];
  if (alloc.log !== true) errors.push({ pointer: pointer(...at, "log"), message: "a ramp compares its arms from their exposures, so its allocation must log them (log: true)" });
  const splits = Array.isArray(alloc.splits) ? alloc.splits.filter(isObject) : [];
  if (splits.length < 2) errors.push({ pointer: pointer(...at, "splits"), message: `a ramp needs a control and at least one treatment in its splits; this allocation has ${splits.length}` });
  const stages = Array.isArray(ramp.stages) ? ramp.stages : [];
  let previous = 0;
  stages.forEach((stage, i) => {
    if (!isObject(stage) || typeof stage.rollout !== "number") return;
    if (stage.rollout <= previous) errors.push({ pointer: pointer(...at, "ramp", "stages", i, "rollout"), message: `stage rollouts must increase (a ramp only widens the allocation, so no subject leaves their arm): ${stage.rollout} follows ${previous}` });
    previous = Math.max(previous, stage.rollout);
  });
  const offset = typeof alloc.rolloutOffset === "number" ? alloc.rolloutOffset : 0;
  if (offset + previous > 10000) errors.push({ pointer: pointer(...at, "ramp", "stages", stages.length - 1, "rollout"), message: `rolloutOffset + the last stage's rollout is ${offset + previous}; the traffic range must end at or before 10000` });
  const guardrails = Array.isArray(ramp.guardrails) ? ramp.guardrails : [];
  guardrails.forEach((g, i) => {
    if (!isObject(g) || g.metric !== "daily_cost") return;
    if (g.relative === true) errors.push({ pointer: pointer(...at, "ramp", "guardrails", i, "relative"), message: "daily_cost is a budget in USD per day, never relative to the control" });
    if (g.direction === "decrease") errors.push({ pointer: pointer(...at, "ramp", "guardrails", i, "direction"), message: "daily_cost guards against spending more: its direction is increase" });
  });
  return errors;
}
