// Sequential looks are taken by the looks cron, never by a reader: GET /v1/results writes nothing,
// each tick records one look per running sequential experiment, a second tick in the same
// cadence slot records nothing, and the results then fold their reading into the recorded looks.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { FlagConfig } from "@edgeflag/config-schema";
import worker from "../src/index.ts";
import { writeLooks } from "../src/results/looks.ts";
import { LOOK_CADENCE_MS, LOOKS_CRON, slotStart } from "../src/scheduled/looks.ts";
import wranglerToml from "../../wrangler.toml?raw";
import { publish } from "./helpers.ts";
import { config, exposure, results, seed, thumbs } from "./results-helpers.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Body = any;

/** A slot boundary of the cadence (10:00 UTC): ticks below land at or after it. */
const SLOT = Date.UTC(2026, 11, 3, 10);

async function tick(at: number, cron = LOOKS_CRON): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

type LookRow = { flag: string; allocation: string; control: string; variant: string; metric: string; looks: number; p_value: number; lower: number; upper: number; updated_at: number };
async function stored(e: string): Promise<LookRow[]> {
  const { results: rows } = await env.DB.prepare("SELECT flag, allocation, control, variant, metric, looks, p_value, lower, upper, updated_at FROM sequential_looks WHERE env = ? ORDER BY control, variant, metric").bind(e).all<LookRow>();
  return rows;
}

/** `count` subjects of a variant, each exposed; a share `rate` of them also gives a 👍. */
const arm = (e: string, variant: string, from: number, count: number, rate: number) =>
  Array.from({ length: count }, (_, i) => {
    const s = `${variant}-${from + i}`;
    return [exposure(e, s, variant), ...((i * 7919) % 100 < rate * 100 ? [thumbs(e, s, variant, "up")] : [])];
  }).flat();

const feedbackRate = (body: Body) => body.comparisons.find((c: Body) => c.metric === "feedback_rate");

describe("the looks cron", () => {
  it("is the cron wrangler.toml lists, and fires at the start of each cadence slot", () => {
    expect(wranglerToml).toMatch(/^crons = \[.*"\*\/15 \* \* \* \*".*\]$/m);
    expect(LOOKS_CRON).toBe("*/15 * * * *");
    expect(LOOK_CADENCE_MS).toBe(15 * 60_000);
  });

  it("a GET of the results writes nothing", async () => {
    const E = "looks-read";
    await publish(E, config({ sequential: true, minSubjects: 10 }));
    await seed([...arm(E, "small", 0, 200, 0.2), ...arm(E, "large", 0, 200, 0.4)]);
    const first: Body = await (await results(E)).json();
    const second: Body = await (await results(E)).json();
    expect(first.status).toBe("ok");
    expect(feedbackRate(first).sequential.looks).toBe(1); // this reading only
    expect(feedbackRate(second).sequential).toEqual(feedbackRate(first).sequential);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM sequential_looks").first("n")).toBe(0);
  });

  it("records one look per running sequential experiment per tick, once per cadence slot", async () => {
    await publish("looks-seq", config({ sequential: true, minSubjects: 10 }));
    await publish("looks-fixed", config({ minSubjects: 10 })); // fixed-horizon: no looks
    await publish("looks-waiting", config({ sequential: true, minSubjects: 500 })); // no verdict yet
    for (const e of ["looks-seq", "looks-fixed", "looks-waiting"]) await seed([...arm(e, "small", 0, 100, 0.2), ...arm(e, "large", 0, 100, 0.5)]);

    await tick(SLOT + 60_000);
    const once = await stored("looks-seq");
    const reading: Body = await (await results("looks-seq")).json();
    expect(once.map((r) => [r.flag, r.allocation, r.control, r.variant, r.metric, r.looks, r.updated_at])).toEqual(
      reading.comparisons.map((c: Body) => ["model", "exp", "small", c.variant, c.metric, 1, SLOT + 60_000]),
    );
    expect(once.find((r) => r.metric === "feedback_rate")!.p_value).toBe(feedbackRate(reading).sequential.pValue); // same data, same look
    expect(await stored("looks-fixed")).toEqual([]);
    expect(await stored("looks-waiting")).toEqual([]);

    await tick(SLOT + LOOK_CADENCE_MS - 1); // the same slot, later: nothing new
    expect(await stored("looks-seq")).toEqual(once);
    await tick(SLOT + LOOK_CADENCE_MS); // the next slot
    expect((await stored("looks-seq")).map((r) => [r.metric, r.looks, r.updated_at])).toEqual(once.map((r) => [r.metric, 2, SLOT + LOOK_CADENCE_MS]));
  });

  it("results use the recorded looks: the always-valid p-value never rises, decisions use it", async () => {
    const E = "looks-fold";
    await publish(E, config({ sequential: true, minSubjects: 10 }));
    await seed([...arm(E, "small", 0, 200, 0.2), ...arm(E, "large", 0, 200, 0.4)]);
    await tick(SLOT);
    const c1 = feedbackRate(await (await results(E)).json());
    expect(c1.sequential.looks).toBe(2); // the recorded look and this reading
    expect(c1.sequential.pValue).toBeGreaterThanOrEqual(c1.pValue); // the price of peeking
    // The effect then vanishes in new data: the fixed-horizon p rises, the always-valid p cannot.
    await seed([...arm(E, "small", 200, 400, 0.4), ...arm(E, "large", 200, 400, 0.2)]);
    const c2 = feedbackRate(await (await results(E)).json());
    expect(c2.pValue).toBeGreaterThan(c1.pValue);
    expect(c2.sequential.looks).toBe(2);
    expect(c2.sequential.pValue).toBe(c1.sequential.pValue);
    expect(c2.sequential.absolute.lower).toBeGreaterThanOrEqual(c1.sequential.absolute.lower);
    expect(c2.sequential.absolute.upper).toBeLessThanOrEqual(c1.sequential.absolute.upper);
    expect(c2.significant).toBe(c2.sequential.pValueAdjusted < 0.05);
    await tick(SLOT + LOOK_CADENCE_MS);
    const row = (await stored(E)).find((r) => r.variant === "large" && r.metric === "feedback_rate")!;
    expect([row.looks, row.p_value]).toEqual([2, c1.sequential.pValue]);
    expect(feedbackRate(await (await results(E)).json()).sequential.looks).toBe(3);
  });

  it("looks are kept per control: asking with another control reads, never folds into the configured one", async () => {
    const E = "looks-control";
    const three: FlagConfig = {
      flags: {
        model: {
          enabled: true,
          variants: { a: { value: 1 }, b: { value: 2 }, c: { value: 3 } },
          defaultVariant: "a",
          allocations: [{ key: "exp", splits: [{ variant: "a", weight: 1 }, { variant: "b", weight: 1 }, { variant: "c", weight: 1 }], log: true }],
          experiment: { sequential: true, minSubjects: 10 },
        },
      },
    };
    await publish(E, three);
    const rated = (variant: string, count: number, rate: number) =>
      Array.from({ length: count }, (_, i) => [exposure(E, `${variant}${i}`, variant), ...(i < count * rate ? [thumbs(E, `${variant}${i}`, variant, "up")] : [])]).flat();
    await seed([...rated("a", 100, 0.2), ...rated("b", 100, 0.5), ...rated("c", 100, 0.2)]);
    await tick(SLOT);
    const cVs = (b: Body) => b.comparisons.find((c: Body) => c.variant === "c" && c.metric === "feedback_rate");
    const byControlA: Body = await (await results(E)).json();
    const byControlB: Body = await (await results(E, "?control=b")).json();
    expect(byControlB.control).toBe("b");
    expect(cVs(byControlB).sequential.looks).toBe(1); // nothing recorded against b
    expect(cVs(byControlB).sequential.pValue).toBeLessThan(cVs(byControlA).sequential.pValue); // c vs b differs
    expect(cVs(byControlA).sequential.looks).toBe(2);
    expect(new Set((await stored(E)).map((r) => r.control))).toEqual(new Set(["a"]));
  });

  it("one experiment that cannot be analysed is logged and skips only itself", async () => {
    await publish("looks-ok", config({ sequential: true, minSubjects: 10 }));
    await seed([...arm("looks-ok", "small", 0, 50, 0.2), ...arm("looks-ok", "large", 0, 50, 0.5)]);
    const broken = config({ sequential: true });
    broken.flags.model!.allocations[0]!.log = false; // nothing logs exposures: NO_EXPERIMENT
    await publish("looks-broken", broken);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await tick(SLOT + 2 * LOOK_CADENCE_MS);
    expect(log).toHaveBeenCalledWith("edgeflag: env looks-broken, flag model: no sequential look this time", expect.objectContaining({ code: "NO_EXPERIMENT" }));
    log.mockRestore();
    expect((await stored("looks-ok")).every((r) => r.looks === 1 && r.updated_at === SLOT + 2 * LOOK_CADENCE_MS)).toBe(true);
    expect((await stored("looks-ok")).length).toBeGreaterThan(0);
  });

  it("a second write in the same slot keeps the first (two ticks racing count once); the next slot replaces it", async () => {
    const scope = { env: "looks-race", flag: "model", allocation: "exp", control: "small" };
    const look = (looks: number, pValue: number) => new Map([[JSON.stringify(["large", "thumbs_up"]), { looks, pValue, absolute: { estimate: 0, lower: -Infinity, upper: 1 } }]]);
    await writeLooks(env.DB, scope, look(1, 0.5), { at: SLOT + 1, slotStart: SLOT });
    await writeLooks(env.DB, scope, look(1, 0.4), { at: SLOT + 2, slotStart: SLOT });
    expect((await stored("looks-race")).map((r) => [r.looks, r.p_value, r.lower, r.updated_at])).toEqual([[1, 0.5, -Number.MAX_VALUE, SLOT + 1]]);
    await writeLooks(env.DB, scope, look(2, 0.4), { at: SLOT + LOOK_CADENCE_MS, slotStart: SLOT + LOOK_CADENCE_MS });
    expect((await stored("looks-race")).map((r) => [r.looks, r.p_value, r.updated_at])).toEqual([[2, 0.4, SLOT + LOOK_CADENCE_MS]]);
    expect([slotStart(SLOT + LOOK_CADENCE_MS - 1), slotStart(SLOT + LOOK_CADENCE_MS)]).toEqual([SLOT, SLOT + LOOK_CADENCE_MS]);
  });

  it("the hourly cron still renews and takes no look", async () => {
    await publish("looks-hourly", config({ sequential: true, minSubjects: 10 }));
    await seed([...arm("looks-hourly", "small", 0, 50, 0.2), ...arm("looks-hourly", "large", 0, 50, 0.5)]);
    await tick(SLOT + 17 * 60_000, "17 * * * *");
    expect(await stored("looks-hourly")).toEqual([]);
  });
});
