// The ramp watcher inside workerd: traffic made by the SDK's own Worker client (evaluate, record,
// flush → the EVENTS Queue → the consumer's exposure check → D1), the cron driven by
// createScheduledController, decisions published as signed versions by the env's single writer.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { FlagConfig } from "@edgeflag/config-schema";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { createWorkerClient, kvConfigSource } from "@edgeflag/sdk/worker";
import worker from "../src/index.ts";
import { RAMPS_CRON, WATCHER } from "../src/scheduled/ramps.ts";
import { writerOf } from "../src/services/config-writer.ts";
import { ADMIN_TOKEN, admin, call, errorOf, makeToken, PUBLIC_JWKS, publish } from "./helpers.ts";

const MIN = 60_000;

/** small (control) against large, ramped 20% → 50% → 100% of traffic. */
function rampConfig(guardrails: unknown[], stages: { rollout: number; minDurationMinutes: number; minSubjects?: number }[] = [{ rollout: 2000, minDurationMinutes: 10, minSubjects: 30 }, { rollout: 5000, minDurationMinutes: 10, minSubjects: 30 }, { rollout: 10000, minDurationMinutes: 10, minSubjects: 30 }], weights: [number, number] = [1, 1]): FlagConfig {
  return {
    flags: {
      model: {
        enabled: true,
        defaultVariant: "small",
        variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
        allocations: [{ key: "ramp", log: true, rollout: 2000, splits: [{ variant: "small", weight: weights[0] }, { variant: "large", weight: weights[1] }], ramp: { stages, guardrails } as never }],
      },
    },
  } as FlagConfig;
}

async function tick(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: RAMPS_CRON }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** The latest signed config of E: its version and the ramp allocation's rollout. */
async function latest(E: string): Promise<{ version: number; rollout: number | undefined; config: FlagConfig }> {
  const v = Number(await env.FLAGS.get(`config:${E}:latest`));
  const payload = decodeSignedConfig((await env.FLAGS.get(`config:${E}:${v}`))!).payload as FlagConfig;
  return { version: v, rollout: payload.flags.model!.allocations[0]!.rollout, config: payload };
}

const stored = async (E: string, type: string) => Number(await env.DB.prepare("SELECT COUNT(*) AS n FROM events WHERE env = ? AND type = ?").bind(E, type).first("n"));

type Call = { error?: boolean; ttftMs?: number; cost?: number };
/**
 * Subjects `from..from+count` use the model once through the SDK's Worker client; `call` says how
 * each variant's call went. Waits until the consumer stored every event.
 */
async function traffic(E: string, from: number, count: number, call: (variant: string, i: number) => Call): Promise<void> {
  const client = createWorkerClient({ env: E, keys: PUBLIC_JWKS, queue: env.EVENTS, source: kvConfigSource(env.FLAGS, E) });
  await client.refresh();
  const before = await stored(E, "execution");
  let calls = 0;
  for (let i = from; i < from + count; i++) {
    const a = client.evaluate("model", null, { subject: `s-${i}` });
    if (a.allocation !== "ramp") continue;
    const c = call(a.variant!, i);
    a.record(undefined, { latencyMs: 400 + (i % 50), ttftMs: c.ttftMs ?? 100 + (i % 20), cost: c.cost ?? 0.001, ...(c.error ? { error: "upstream 500" } : {}) });
    calls++;
    if (calls % 200 === 0) await client.flush(); // a Worker flushes per request; the client keeps at most 1000 unsent events
  }
  await client.flush();
  const deadline = Date.now() + 20_000;
  while ((await stored(E, "execution")) < before + calls && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await stored(E, "execution")).toBe(before + calls);
}

const states = (E: string) => writerOf(env, E).rampStates();
const events = (E: string) => writerOf(env, E).rampEvents("model", "ramp");

describe("the ramp watcher", () => {
  it("starts a ramp, then rolls back a treatment whose error rate breaks its guardrail: a higher signed version serves the control", async () => {
    const E = "ramp-errors";
    await publish(E, rampConfig([{ metric: "error_rate", threshold: 0.02, minSamples: 20, action: "rollback" }]));
    const t0 = Date.now();
    await tick(t0);
    expect(await states(E)).toMatchObject([{ flag: "model", allocation: "ramp", stage: 0, status: "running", stageStartedAt: t0 }]);
    const started = await latest(E);
    expect(started.rollout).toBe(2000);
    await traffic(E, 0, 1500, (variant, i) => ({ error: variant === "large" ? i % 4 === 0 : i % 100 === 0 }));
    await tick(t0 + MIN);
    const after = await latest(E);
    expect(after.version).toBeGreaterThan(started.version);
    expect(after.rollout).toBe(0);
    expect(await states(E)).toMatchObject([{ status: "rolled_back", stage: 0 }]);
    const compiled = compileConfig(after.config);
    for (let i = 0; i < 200; i++) expect(evaluate(compiled, "model", { subject: `s-${i}` }, null).variant).toBe("small");
    const [, rollback] = await events(E);
    expect(rollback).toMatchObject({ action: "rollback", actor: WATCHER, rollout: 0, version: after.version });
    expect(rollback!.reason).toMatch(/^error_rate: breach: harm \+0\.2\d+ vs margin 0\.020 \(one-sided always-valid p /);
    const audit = await (await admin(`/audit?env=${E}`)).json<{ entries: { version: number; actor: string; action: string; flag?: string; allocation?: string; reason?: string }[] }>();
    expect(audit.entries[0]).toMatchObject({ version: after.version, actor: WATCHER, action: "ramp", flag: "model", allocation: "ramp" });
    expect(audit.entries[0]!.reason).toMatch(/^rollback: error_rate: breach/);
    await tick(t0 + 2 * MIN); // a rolled-back ramp stays where it is
    expect((await latest(E)).version).toBe(after.version);
  });

  it("rolls back a treatment whose p95 time to first token regresses", async () => {
    const E = "ramp-ttft";
    await publish(E, rampConfig([{ metric: "ttft_p95", threshold: 0.25, relative: true, minSamples: 50, action: "rollback" }]));
    const t0 = Date.now();
    await tick(t0);
    await traffic(E, 0, 1500, (variant, i) => ({ ttftMs: variant === "large" && i % 3 === 0 ? 900 : 100 + (i % 20) }));
    await tick(t0 + MIN);
    expect((await latest(E)).rollout).toBe(0);
    expect((await events(E)).at(-1)!.reason).toMatch(/^ttft_p95: breach: share of calls above the limit 0\.3\d* vs 0\.05/);
  });

  it("a healthy treatment advances through every stage and no subject changes arm", async () => {
    const E = "ramp-healthy";
    await publish(E, rampConfig([{ metric: "error_rate", threshold: 0.02, minSamples: 20, action: "rollback" }]));
    const t0 = Date.now();
    await tick(t0);
    const seen = new Map<string, string>();
    const remember = async () => {
      const compiled = compileConfig((await latest(E)).config);
      for (let i = 0; i < 2000; i++) {
        const r = evaluate(compiled, "model", { subject: `s-${i}` }, null);
        if (r.allocation !== "ramp") continue;
        if (seen.has(`s-${i}`)) expect(r.variant, `s-${i}`).toBe(seen.get(`s-${i}`));
        seen.set(`s-${i}`, r.variant!);
      }
    };
    await remember();
    const rollouts: (number | undefined)[] = [];
    for (let stage = 0; stage < 3; stage++) {
      await traffic(E, 0, 600, () => ({}));
      await tick(t0 + (stage + 1) * 10 * MIN + stage);
      rollouts.push((await latest(E)).rollout);
      await remember();
    }
    expect(rollouts).toEqual([5000, 10000, 10000]);
    expect(await states(E)).toMatchObject([{ status: "completed", stage: 2 }]);
    expect((await events(E)).map((e) => e.action)).toEqual(["start", "advance", "advance", "complete"]);
    expect(seen.size).toBeGreaterThan(1900);
  });

  it("no data takes no action; a thin stage is extended once, then held", async () => {
    const E = "ramp-thin";
    await publish(E, rampConfig([{ metric: "error_rate", threshold: 0.02, action: "rollback" }], [{ rollout: 2000, minDurationMinutes: 10, minSubjects: 400 }, { rollout: 10000, minDurationMinutes: 10 }]));
    const t0 = Date.now();
    await tick(t0);
    const v = (await latest(E)).version;
    await tick(t0 + 5 * MIN);
    expect((await events(E)).map((e) => e.action)).toEqual(["start"]);
    await traffic(E, 0, 300, (variant) => ({ error: variant === "large" })); // every treatment call fails, but too few subjects to judge
    await tick(t0 + 10 * MIN);
    expect(await states(E)).toMatchObject([{ status: "running", extended: true }]);
    await tick(t0 + 20 * MIN);
    expect(await states(E)).toMatchObject([{ status: "held", extended: true }]);
    expect((await events(E)).map((e) => e.action)).toEqual(["start", "extend", "hold"]);
    expect((await latest(E)).version).toBe(v); // neither extend nor hold publishes
  });

  it("a sample-ratio mismatch holds the ramp and says so", async () => {
    const E = "ramp-srm";
    await publish(E, rampConfig([{ metric: "error_rate", threshold: 0.02, action: "rollback" }]));
    const t0 = Date.now();
    await tick(t0);
    // The split is 1:1, but only small's exposures arrive: an SDK that drops the treatment's events.
    const client = createWorkerClient({ env: E, keys: PUBLIC_JWKS, queue: env.EVENTS, source: kvConfigSource(env.FLAGS, E) });
    await client.refresh();
    const compiled = compileConfig((await latest(E)).config);
    let n = 0;
    for (let i = 0; i < 1500; i++) {
      const r = evaluate(compiled, "model", { subject: `s-${i}` }, null);
      if (r.allocation !== "ramp" || (r.variant === "large" && i % 3 !== 0)) continue;
      client.evaluate("model", null, { subject: `s-${i}` });
      n++;
    }
    await client.flush();
    const deadline = Date.now() + 20_000;
    while ((await stored(E, "exposure")) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await stored(E, "exposure")).toBe(n);
    await tick(t0 + MIN);
    const [state] = await states(E);
    expect(state!.status).toBe("held");
    expect((await events(E)).at(-1)!.reason).toMatch(/^sample-ratio mismatch \(p /);
  });

  it("two concurrent ticks publish one rollback", async () => {
    const E = "ramp-race";
    await publish(E, rampConfig([{ metric: "error_rate", threshold: 0.02, minSamples: 20, action: "rollback" }]));
    const t0 = Date.now();
    await tick(t0);
    await traffic(E, 0, 1500, (variant, i) => ({ error: variant === "large" && i % 3 === 0 }));
    const before = (await latest(E)).version;
    await Promise.all([tick(t0 + MIN), tick(t0 + MIN), tick(t0 + MIN + 1)]);
    expect((await latest(E)).version).toBe(before + 1);
    expect((await events(E)).filter((e) => e.action === "rollback")).toHaveLength(1);
  });

  it("a budget guardrail stops a variant whose cost today passes its budget", async () => {
    const E = "ramp-budget";
    await publish(E, rampConfig([{ metric: "daily_cost", threshold: 1.5, action: "rollback" }]));
    const t0 = Date.now();
    await tick(t0);
    await traffic(E, 0, 1500, (variant) => ({ cost: variant === "large" ? 0.02 : 0.001 }));
    await tick(t0 + MIN);
    expect((await latest(E)).rollout).toBe(0);
    expect((await events(E)).at(-1)!.reason).toMatch(/^budget: breach: cost today \$\d+\.\d\d > budget \$1\.50$/);
  });

  it("a config republished with another rollout is set back to the ramp's", async () => {
    const E = "ramp-sync";
    await publish(E, rampConfig([]));
    const t0 = Date.now();
    await tick(t0);
    const republished = await publish(E, rampConfig([])); // flags.json again: rollout 2000 is stage 1's, nothing to do
    await tick(t0 + MIN);
    expect((await latest(E)).version).toBe(republished);
    const wide = rampConfig([]);
    wide.flags.model!.allocations[0]!.rollout = 9000;
    await publish(E, wide);
    await tick(t0 + 2 * MIN);
    expect((await latest(E)).rollout).toBe(2000);
    expect((await events(E)).at(-1)).toMatchObject({ action: "sync", reason: "the published config set rollout 9000; the ramp (running, stage 1) holds 2000" });
  });
});

describe("ramps through the admin API", () => {
  const post = (E: string, path: string, body: unknown = {}, token?: string) =>
    admin(`/ramps/${E}/${path}`, body, token ? { Authorization: `Bearer ${token}` } : {});
  type Status = { ramps: { flag: string; allocation: string; control: string; rollout: number; state: { status: string; stage: number } | null; subjects: Record<string, number>; guardrails: { metric: string; threshold: number; status: string; estimate: number | null; interval: { lower: number; upper: number } | null }[]; timeline: { action: string; actor: string }[] }[] };
  const status = async (E: string): Promise<Status> => (await call(`/v1/admin/ramps/${E}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json();

  it("shows each ramp with its guardrails against their thresholds, and acts on pause, resume, advance and abort", async () => {
    const E = "ramp-admin";
    await publish(E, rampConfig([{ metric: "error_rate", threshold: 0.05, minSamples: 20, action: "rollback" }]));
    const before = await status(E);
    expect(before.ramps).toMatchObject([{ flag: "model", allocation: "ramp", control: "small", rollout: 2000, state: null, guardrails: [{ metric: "error_rate", threshold: 0.05, status: "insufficient", estimate: null, interval: null }] }]);
    const t0 = Date.now();
    await tick(t0);
    await traffic(E, 0, 600, (variant, i) => ({ error: i % 50 === 0 }));
    const seen = (await status(E)).ramps[0]!;
    expect(seen.state).toMatchObject({ status: "running", stage: 0 });
    expect(seen.guardrails[0]).toMatchObject({ metric: "error_rate", threshold: 0.05, status: "ok" });
    expect(seen.guardrails[0]!.interval!.lower).toBeLessThan(seen.guardrails[0]!.estimate!);
    expect(seen.subjects.small! + seen.subjects.large!).toBe(await stored(E, "exposure"));

    const paused = await post(E, "model/ramp/pause", { reason: "launch freeze" });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ action: "pause", state: { status: "paused" }, rollout: 2000, version: null });
    await tick(t0 + 60 * MIN); // a paused ramp never advances
    expect((await latest(E)).rollout).toBe(2000);
    expect(await post(E, "model/ramp/pause")).toHaveProperty("status", 409);
    expect(await (await post(E, "model/ramp/resume")).json()).toMatchObject({ state: { status: "running", stage: 0 } });
    const advanced = await (await post(E, "model/ramp/advance", { reason: "looks fine" })).json<{ rollout: number; version: number }>();
    expect(advanced.rollout).toBe(5000);
    expect((await latest(E))).toMatchObject({ version: advanced.version, rollout: 5000 });
    const aborted = await (await post(E, "model/ramp/abort", { reason: "cancel" })).json<{ rollout: number; version: number }>();
    expect(aborted.rollout).toBe(0);
    expect((await latest(E)).rollout).toBe(0);
    expect((await status(E)).ramps[0]!.timeline.map((e) => [e.action, e.actor])).toEqual([["start", WATCHER], ["pause", "bootstrap"], ["resume", "bootstrap"], ["advance", "bootstrap"], ["abort", "bootstrap"]]);
  });

  it("refuses what a caller may not do, naming the field", async () => {
    const E = "ramp-admin-refusals";
    await publish(E, rampConfig([]));
    const reader = await makeToken("ramp-reader", "read");
    expect((await post(E, "model/ramp/pause", {}, reader)).status).toBe(403);
    expect(await errorOf(await post(E, "model/ramp/explode"))).toMatchObject({ code: "NOT_FOUND", pointer: "/action" });
    expect(await errorOf(await post(E, "nope/ramp/pause"))).toMatchObject({ code: "RAMP_NOT_FOUND", pointer: "/flag" });
    expect(await errorOf(await post(E, "constructor/ramp/pause"))).toMatchObject({ code: "RAMP_NOT_FOUND", pointer: "/flag" });
    expect(await errorOf(await post(E, "model/other/pause"))).toMatchObject({ code: "RAMP_NOT_FOUND", pointer: "/allocation" });
    expect(await errorOf(await post(E, "model/ramp/resume"))).toMatchObject({ code: "RAMP_STATE", message: "cannot resume a ramp that is running: it is not stopped" });
    expect(await errorOf(await post(E, "model/ramp/pause", { reason: "x".repeat(1001) }))).toMatchObject({ code: "FIELD_INVALID", pointer: "/reason" });
    expect(await errorOf(await post(E, "model/ramp/pause", { reason: 7 }))).toMatchObject({ code: "FIELD_INVALID", pointer: "/reason" });
    expect(await errorOf(await post(E, "model/ramp/pause", "[1]"))).toMatchObject({ pointer: "" });
    expect((await call(`/v1/admin/ramps/${E}`)).status).toBe(401);
  });

  it("a subject keeps their arm through a hold, a resume and every later stage", async () => {
    const E = "ramp-hold";
    await publish(E, rampConfig([], [{ rollout: 1000, minDurationMinutes: 10, minSubjects: 5000 }, { rollout: 4000, minDurationMinutes: 10 }, { rollout: 10000, minDurationMinutes: 10 }]));
    const t0 = Date.now();
    await tick(t0);
    await tick(t0 + 10 * MIN); // thin: extended
    await tick(t0 + 20 * MIN); // still thin: held
    expect((await states(E))[0]!.status).toBe("held");
    const arms = async () => {
      const compiled = compileConfig((await latest(E)).config);
      return new Map(Array.from({ length: 3000 }, (_, i) => evaluate(compiled, "model", { subject: `s-${i}` }, null)).flatMap((r, i) => (r.allocation === "ramp" ? [[`s-${i}`, r.variant!] as const] : [])));
    };
    const held = await arms();
    await post(E, "model/ramp/resume");
    await post(E, "model/ramp/advance");
    await post(E, "model/ramp/advance");
    const full = await arms();
    expect(full.size).toBe(3000);
    for (const [subject, variant] of held) expect(full.get(subject), subject).toBe(variant);
  });
});
