/**
 * The ramp watcher: every minute (RAMPS_CRON), each ramp of each env's latest config is looked
 * at and its decision applied through the env's single writer, which skips a decision made on a
 * state that has moved since (two ticks racing publish once). While a ramp exists the writer's
 * state owns the allocation's rollout: a config published with another rollout is set back to
 * the ramp's (action `sync`), so a republished flags.json never undoes a rollback.
 *
 * @module
 */
import type { Allocation, Flag, Ramp } from "@edgeflag/config-schema";
import { decideRamp, type RampState } from "@edgeflag/analysis";
import { lookAtRamp } from "../ramps/look.ts";
import { postWebhook, type RampNotice } from "../ramps/webhook.ts";
import { applied } from "../services/outcome.ts";
import { writerOf, type RampStep } from "../services/config-writer.ts";
import type { StoredRamp } from "../services/ramp-store.ts";
import { latestConfig } from "../services/experiments.ts";
import { envNames } from "./renew.ts";

/** Every minute, as wrangler.toml's [triggers] lists it (the scheduled handler dispatches on it). */
export const RAMPS_CRON = "* * * * *";
/** Who the audit log names for the watcher's steps. */
export const WATCHER = "edgeflag-watcher";

/** One step the tick applied. */
export interface TickStep { env: string; flag: string; allocation: string; action: string; version: number | null }

/** The rollout a ramp's state stands for. */
export function stateRollout(ramp: Ramp, state: RampState): number {
  if (state.status === "rolled_back") return 0;
  return ramp.stages[Math.min(state.stage, ramp.stages.length - 1)]!.rollout;
}

interface Target { env: string; flagKey: string; flag: Flag; alloc: Allocation; ramp: Ramp }

/** Applies a step through the writer; posts the webhook when it applied (except a silent sync). */
async function apply(env: Env, t: Target, step: RampStep, rolloutBefore: number, notice: Partial<RampNotice>): Promise<TickStep | null> {
  const result = await applied(writerOf(env, t.env).applyRamp(t.env, step));
  if (!result.applied) return null;
  if (step.action !== "sync") {
    await postWebhook(env, { env: t.env, flag: t.flagKey, allocation: t.alloc.key, action: step.action, stage: step.next.stage, stages: t.ramp.stages.length, rolloutBefore, rollout: step.rollout, version: result.version, reason: step.reason, guardrails: [], ...notice });
  }
  return { env: t.env, flag: t.flagKey, allocation: t.alloc.key, action: step.action, version: result.version };
}

/** One ramp's tick: start it, set its rollout back to the state's, or decide and apply. */
async function watchOne(env: Env, t: Target, stored: StoredRamp | null, now: number): Promise<TickStep | null> {
  const base = { flag: t.flagKey, allocation: t.alloc.key, actor: WATCHER, now };
  const current = t.alloc.rollout ?? 10000;
  if (stored === null) {
    const next: RampState = { stage: 0, stageStartedAt: now, extended: false, status: "running" };
    const rollout = t.ramp.stages[0]!.rollout;
    return apply(env, t, { ...base, expected: null, next, rollout, action: "start", reason: `stage 1 of ${t.ramp.stages.length} at ${rollout / 100}%` }, current, {});
  }
  const state: RampState = { stage: stored.stage, stageStartedAt: stored.stageStartedAt, extended: stored.extended, status: stored.status };
  const owned = stateRollout(t.ramp, state);
  if (current !== owned) {
    const reason = `the published config set rollout ${current}; the ramp (${state.status}, stage ${state.stage + 1}) holds ${owned}`;
    return apply(env, t, { ...base, expected: state, next: state, rollout: owned, action: "sync", reason }, current, {});
  }
  if (state.status !== "running") return null;
  const look = await lookAtRamp(env.DB, t.env, t.flagKey, t.flag, t.alloc, t.ramp, now);
  const decision = decideRamp(t.ramp, state, look);
  const warned = decision.warnings.map((w) => w.metric).sort().join(",");
  const notice = { guardrails: look.guardrails };
  if (decision.action === "none" || decision.action === "warn") {
    if (warned === "" || warned === stored.warned) return null;
    const reason = decision.warnings.map((w) => `${w.metric}: ${w.reason}`).join("; ");
    return apply(env, t, { ...base, expected: state, next: state, rollout: owned, action: "warn", reason, warned }, current, notice);
  }
  return apply(env, t, { ...base, expected: state, next: decision.state, rollout: decision.rollout, action: decision.action, reason: decision.reason, warned }, current, notice);
}

/** The ramps of one config: each allocation that carries one. */
function targetsOf(env: string, flags: Record<string, Flag>): Target[] {
  return Object.entries(flags).flatMap(([flagKey, flag]) =>
    flag.allocations.flatMap((alloc) => (alloc.ramp ? [{ env, flagKey, flag, alloc, ramp: alloc.ramp }] : [])),
  );
}

/**
 * One tick over every env: a failure is logged and skips only its ramp. Returns the steps applied.
 *
 * @example
 * await watchRamps(env, controller.scheduledTime); // from the scheduled handler, on RAMPS_CRON
 */
export async function watchRamps(env: Env, now: number): Promise<TickStep[]> {
  const steps: TickStep[] = [];
  for (const name of await envNames(env.FLAGS)) {
    const latest = await latestConfig(env.FLAGS, name).catch((e: unknown) => void console.error(`edgeflag: env ${name}: cannot read its latest config`, e));
    const targets = targetsOf(name, latest?.config.flags ?? {});
    if (targets.length === 0) continue;
    const states = await writerOf(env, name).rampStates();
    for (const t of targets) {
      try {
        const stored = states.find((s) => s.flag === t.flagKey && s.allocation === t.alloc.key) ?? null;
        const step = await watchOne(env, t, stored, now);
        if (step !== null) steps.push(step);
      } catch (e) {
        console.error(`edgeflag: env ${name}, ramp ${t.flagKey}/${t.alloc.key}: no decision this tick`, e);
      }
    }
  }
  return steps;
}
