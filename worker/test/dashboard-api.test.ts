// The routes the dashboard adds: the envs at a glance, who the caller is, and the history of a
// sequential experiment's looks (one point per cron look, with its always-valid interval).
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { LOOK_CADENCE_MS, LOOKS_CRON } from "../src/scheduled/looks.ts";
import { ADMIN_TOKEN, CONFIG, bearer, call, makeToken, publish } from "./helpers.ts";
import { config, exposure, results, seed, thumbs } from "./results-helpers.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Body = any;
const SLOT = Date.UTC(2026, 11, 3, 10);
const get = async (path: string, token = ADMIN_TOKEN): Promise<Body> => (await call(path, { headers: bearer(token) })).json();

async function tick(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: LOOKS_CRON }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const arm = (e: string, variant: string, from: number, count: number, rate: number) =>
  Array.from({ length: count }, (_, i) => {
    const s = `${variant}-${from + i}`;
    return [exposure(e, s, variant), ...((i * 7919) % 100 < rate * 100 ? [thumbs(e, s, variant, "up")] : [])];
  }).flat();

describe("GET /v1/admin/envs and /v1/admin/me", () => {
  it("lists each env with its latest version, who made it and a summary of each flag", async () => {
    await publish("dash-envs", CONFIG, { reason: "first" });
    const body: Body = await get("/v1/admin/envs");
    const mine = body.envs.find((e: Body) => e.env === "dash-envs");
    expect(mine).toMatchObject({ env: "dash-envs", version: 1, actor: "bootstrap", action: "publish", reason: "first", demo: false });
    expect(mine.flags).toEqual([
      { key: "chat-model", description: null, enabled: true, defaultVariant: "gpt-3_5", variants: ["gpt-3_5", "gpt-4", "fixed"], experiment: false, allocations: [{ key: "experiment", rollout: 10000, log: true, ramp: false, rules: 0 }] },
      { key: "new-checkout", description: null, enabled: true, defaultVariant: "off", variants: ["on", "off"], experiment: false, allocations: [{ key: "ramp", rollout: 2500, log: false, ramp: false, rules: 0 }] },
    ]);
    expect(body.envs.map((e: Body) => e.env)).toEqual([...body.envs.map((e: Body) => e.env)].sort());
  });

  it("says who the caller is; without a token both answer 401", async () => {
    expect(await get("/v1/admin/me")).toEqual({ name: "bootstrap", role: "admin" });
    expect(await get("/v1/admin/me", await makeToken("dash-reader", "read"))).toEqual({ name: "dash-reader", role: "read" });
    expect((await call("/v1/admin/me")).status).toBe(401);
    expect((await call("/v1/admin/envs")).status).toBe(401);
  });
});

describe("GET /v1/results/:env/:flag/looks", () => {
  it("keeps one point per look and cadence slot, with the interval the results showed after it", async () => {
    const E = "dash-looks";
    await publish(E, config({ sequential: true, minSubjects: 10 }));
    await seed([...arm(E, "small", 0, 200, 0.2), ...arm(E, "large", 0, 200, 0.4)]);
    expect((await get(`/v1/results/${E}/model/looks`)).points).toEqual([]);
    await tick(SLOT);
    await tick(SLOT + 60_000); // the same slot: kept once
    const first = (await (await results(E)).json<Body>()).comparisons.find((c: Body) => c.metric === "feedback_rate");
    await seed([...arm(E, "small", 200, 200, 0.25), ...arm(E, "large", 200, 200, 0.35)]);
    await tick(SLOT + LOOK_CADENCE_MS);
    const body: Body = await get(`/v1/results/${E}/model/looks`);
    expect(body).toMatchObject({ env: E, flag: "model", allocation: "exp", control: "small", sequential: true });
    const lift = body.points.filter((p: Body) => p.metric === "feedback_rate");
    expect(lift.map((p: Body) => [p.variant, p.at, p.looks])).toEqual([
      ["large", new Date(SLOT).toISOString(), 1],
      ["large", new Date(SLOT + LOOK_CADENCE_MS).toISOString(), 2],
    ]);
    // The first look saw what the results saw before the new data (the reading folded into that look is the same data).
    expect(lift[0].estimate).toBeCloseTo(first.absolute.estimate, 12);
    expect(lift[0].control).toBeCloseTo(first.control, 12);
    expect(lift[0].pValue).toBe(first.sequential.pValue);
    // Always valid: the interval only tightens from look to look.
    expect(lift[1].lower).toBeGreaterThanOrEqual(lift[0].lower);
    expect(lift[1].upper).toBeLessThanOrEqual(lift[0].upper);
    expect(lift[1].estimate).not.toBe(lift[0].estimate);
  });

  it("a fixed-horizon experiment has no looks; an unknown flag is a 404 and a bad env a 400 naming it", async () => {
    await publish("dash-fixed", config({ minSubjects: 10 }));
    expect(await get("/v1/results/dash-fixed/model/looks")).toMatchObject({ sequential: false, points: [] });
    expect((await call("/v1/results/dash-fixed/nope/looks", { headers: bearer(ADMIN_TOKEN) })).status).toBe(404);
    const bad = await call("/v1/results/bad%20env/model/looks", { headers: bearer(ADMIN_TOKEN) });
    expect([bad.status, (await bad.json<Body>()).error.pointer]).toEqual([400, "/env"]);
  });
});
