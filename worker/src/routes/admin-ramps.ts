/**
 * Ramps through the admin API. `GET /v1/admin/ramps/:env` (role read): every ramp of the env's
 * latest config with where it stands, a fresh look at its guardrails (read only: nothing is
 * decided or written by a GET) and its timeline. `POST /v1/admin/ramps/:env/:flag/:allocation/:action`
 * (role admin) with `{"reason"?}`: pause, resume, advance or abort, applied by the env's single
 * writer like the watcher's own steps and recorded with the caller's name.
 *
 * @module
 */
import type { Allocation, Flag, Ramp } from "@edgeflag/config-schema";
import type { RampState } from "@edgeflag/analysis";
import { optionalString, readJsonObject } from "../lib/body.ts";
import { HttpError, json } from "../lib/http.ts";
import { signingKey } from "../lib/keys.ts";
import { envName } from "../lib/params.ts";
import type { Caller } from "../lib/auth.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { lookAtRamp } from "../ramps/look.ts";
import { stateRollout } from "../scheduled/ramps.ts";
import { writerOf } from "../services/config-writer.ts";
import { latestConfig } from "../services/experiments.ts";
import { applied, noSigningKey } from "../services/outcome.ts";

/** The longest reason a person may give for a ramp action. */
const MAX_REASON = 1000;

/** What a person may do to a ramp. */
export const RAMP_ACTIONS = ["pause", "resume", "advance", "abort"] as const;
type RampAction = (typeof RAMP_ACTIONS)[number];

async function latestOrThrow(env: Env, name: string): Promise<{ version: number; flags: Record<string, Flag> }> {
  const latest = await latestConfig(env.FLAGS, name);
  if (latest === null) throw new HttpError(404, "ENV_NOT_FOUND", `nothing was published for env "${name}"`, { pointer: "/env" });
  return { version: latest.version, flags: latest.config.flags };
}

/**
 * 200 `{env, version, ramps: [...]}`: each ramp's state (null before the watcher's first tick),
 * rollout, stages, subjects, SRM, guardrails with their values, thresholds and intervals, and timeline.
 *
 * @example
 * curl https://flags.example.com/v1/admin/ramps/production -H "Authorization: Bearer $TOKEN"
 */
export async function getRamps(_request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const { version, flags } = await latestOrThrow(env, name);
  const writer = writerOf(env, name);
  const states = await writer.rampStates();
  const now = Date.now();
  const ramps = [];
  for (const [flagKey, flag] of Object.entries(flags)) {
    for (const alloc of flag.allocations) {
      if (!alloc.ramp) continue;
      const state = states.find((s) => s.flag === flagKey && s.allocation === alloc.key) ?? null;
      const look = await lookAtRamp(env.DB, name, flagKey, flag, alloc, alloc.ramp, now);
      ramps.push({
        flag: flagKey, allocation: alloc.key, control: look.control, rollout: alloc.rollout ?? 10000, stages: alloc.ramp.stages, onThin: alloc.ramp.onThin ?? "hold",
        state: state && { status: state.status, stage: state.stage, stageStartedAt: new Date(state.stageStartedAt).toISOString(), extended: state.extended, updatedAt: new Date(state.updatedAt).toISOString() },
        subjects: look.subjects, srm: look.srm, guardrails: look.guardrails,
        timeline: (await writer.rampEvents(flagKey, alloc.key)).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      });
    }
  }
  return json({ env: name, version, ramps });
}

function findRamp(flags: Record<string, Flag>, flagKey: string, allocKey: string): { flag: Flag; alloc: Allocation; ramp: Ramp } {
  const flag = Object.hasOwn(flags, flagKey) ? flags[flagKey]! : undefined;
  if (!flag) throw new HttpError(404, "RAMP_NOT_FOUND", `the latest config has no flag "${flagKey}"`, { pointer: "/flag" });
  const alloc = flag.allocations.find((a) => a.key === allocKey);
  if (!alloc?.ramp) throw new HttpError(404, "RAMP_NOT_FOUND", `flag "${flagKey}" has no ramp on allocation "${allocKey}"`, { pointer: "/allocation" });
  return { flag, alloc, ramp: alloc.ramp };
}

/** The state a person's action leads to, or a 409 naming why it cannot apply. */
function nextState(action: RampAction, ramp: Ramp, s: RampState, now: number): RampState {
  const refuse = (why: string) => new HttpError(409, "RAMP_STATE", `cannot ${action} a ramp that is ${s.status}: ${why}`, { pointer: "/action" });
  switch (action) {
    case "pause":
      if (s.status !== "running" && s.status !== "held") throw refuse("only a running or held ramp pauses");
      return { ...s, status: "paused" };
    case "resume":
      if (s.status === "running" || s.status === "completed") throw refuse("it is not stopped");
      // After a rollback the ramp starts again from its first stage; otherwise where it stood, with the stage's clock reset.
      return s.status === "rolled_back" ? { stage: 0, stageStartedAt: now, extended: false, status: "running" } : { ...s, stageStartedAt: now, extended: false, status: "running" };
    case "advance":
      if (s.status === "rolled_back" || s.status === "completed") throw refuse("resume it first");
      return s.stage + 1 >= ramp.stages.length ? { ...s, status: "completed" } : { stage: s.stage + 1, stageStartedAt: now, extended: false, status: "running" };
    case "abort":
      if (s.status === "rolled_back") throw refuse("it is rolled back already");
      return { ...s, status: "rolled_back" };
  }
}

/**
 * 200 `{env, flag, allocation, action, state, rollout, version}` (version: the config version the
 * step published, null when the rollout did not change); 404 RAMP_NOT_FOUND; 409 RAMP_STATE when
 * the action does not apply, or RAMP_MOVED when the watcher moved the ramp meanwhile (try again).
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/ramps/production/chat-model/ramp/pause -H "Authorization: Bearer $TOKEN" -d '{"reason": "launch freeze"}'
 */
export async function postRampAction(request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  const name = envName(params.env);
  const action = params.action as RampAction;
  if (!(RAMP_ACTIONS as readonly string[]).includes(action)) throw new HttpError(404, "NOT_FOUND", `a ramp action is one of ${RAMP_ACTIONS.join(", ")}`, { pointer: "/action" });
  const body = await readJsonObject(request);
  const reason = optionalString(body, "reason");
  // The timeline keeps the reason whole (the version record cuts its copy to 300 characters).
  if (reason !== undefined && reason.length > MAX_REASON) throw new HttpError(400, "FIELD_INVALID", `reason is ${reason.length} characters long; at most ${MAX_REASON} are kept`, { pointer: "/reason" });
  const { flags } = await latestOrThrow(env, name);
  const { ramp } = findRamp(flags, params.flag!, params.allocation!);
  if ((await signingKey(env)) === undefined) throw noSigningKey();
  const writer = writerOf(env, name);
  const stored = (await writer.rampStates()).find((s) => s.flag === params.flag && s.allocation === params.allocation) ?? null;
  const now = Date.now();
  const current: RampState = stored ?? { stage: 0, stageStartedAt: now, extended: false, status: "running" };
  const next = nextState(action, ramp, current, now);
  const rollout = stateRollout(ramp, next);
  const step = { flag: params.flag!, allocation: params.allocation!, expected: stored, next, rollout, action, actor: actorOf(caller), reason: reason ?? `${action} by ${actorOf(caller)}`, now };
  const result = await applied(writer.applyRamp(name, step));
  if (!result.applied) throw new HttpError(409, "RAMP_MOVED", `the ramp moved while this ${action} was prepared (${result.reason}); look again and retry`);
  return json({ env: name, flag: step.flag, allocation: step.allocation, action, state: next, rollout, version: result.version });
}
