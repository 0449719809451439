// The results tables in D1, kept by migration 0009's triggers as the Queue consumer stores
// batches: events in any order across batches and a redelivered batch give the exact numbers of
// the events stored once, in order (analysis/test/result-tables.test.ts covers every case on
// node:sqlite; this is the same DDL through the real consumer).
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { encodeMessage, messageOf, type EventsMessageBody } from "../src/events/message.ts";
import { aggregateVariants } from "../src/results/query.ts";
import { DAY, T0, ev, exec, exposure, thumbs, type Ev } from "./results-helpers.ts";

let n = 0;
async function deliver(events: Ev[]): Promise<void> {
  const batch = createMessageBatch<EventsMessageBody>("edgeflag-events", [{ id: `arrival-${++n}`, timestamp: new Date(T0), attempts: 1, body: encodeMessage(messageOf(events, T0)) }]);
  const ctx = createExecutionContext();
  await worker.queue!(batch, env as unknown as Env, ctx);
  expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
}

describe("results tables through the consumer", () => {
  it("metric events before their exposure, an earlier exposure arriving late, a redelivered batch and an untagged signal", async () => {
    const e = "arrival";
    const early = [exec(e, "a", "small", { latencyMs: 100, cost: 1, ts: T0 + 10 }), thumbs(e, "a", "small", "up"), exec(e, "a", "large", { latencyMs: 300, cost: 2, shadow: true })];
    await deliver(early);
    await deliver([exposure(e, "a", "small", T0), exposure(e, "b", "large", T0 + 5), exec(e, "b", "large", { latencyMs: 900, cost: 4 }), ev(e, "b", "custom", { name: "copied", value: 3 })]);
    await deliver(early); // redelivered: every id known, nothing counted twice
    await deliver([exposure(e, "b", "small", T0 - DAY)]); // b's earlier exposure, late: b moves to small with every event since
    const [small, large] = await aggregateVariants(env.DB, e, "model", "exp");
    expect(large).toBeUndefined();
    expect(small!.subjects).toBe(2);
    expect(small!.latency).toEqual({ n: 2, sumX: 1000, sumY: 2, sumXX: 100 ** 2 + 900 ** 2, sumYY: 2, sumXY: 1000 });
    expect(small!.cost).toEqual({ n: 2, sumX: 5, sumY: 2, sumXX: 17, sumYY: 2, sumXY: 5 });
    expect(small!.thumbsUp).toEqual({ n: 1, sumX: 1, sumY: 1, sumXX: 1, sumYY: 1, sumXY: 1 });
    expect(small!.custom).toEqual({ copied: { subjects: 1, events: 1, sum: 3, sumSquares: 9 } });
    expect(small!.firstExposure).toBe(T0 - DAY);
    expect(small!.costPerDay).toBe(5 / 2);
  });
});
