// The EVENTS Queue consumer: D1 then R2 then ack; a failure retries the whole batch, and a
// redelivery never double counts.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { decodeMessage, encodeMessage, messageOf, type EventsMessageBody } from "../src/events/message.ts";
import { retryDelay } from "../src/events/consume.ts";
import { countStored, event } from "./events-helpers.ts";

type Plain = { receivedAt: number; events: Record<string, unknown>[] };

/** A Queue batch of these messages, each as the route sends it (text); `legacy`: as JSON objects, as earlier Workers sent them. */
function batchOf(messages: Plain[], attempts = 1, queue = "edgeflag-events", legacy = false) {
  const body = (m: Plain) => (legacy ? messageOf(m.events, m.receivedAt) : encodeMessage(messageOf(m.events, m.receivedAt)));
  return createMessageBatch<EventsMessageBody>(queue, messages.map((m, i) => ({ id: `msg-${i}-${m.events[0]!.id}`, timestamp: new Date(m.receivedAt), attempts, body: body(m) })));
}

async function deliver(batch: MessageBatch<EventsMessageBody>, e: Env) {
  const ctx = createExecutionContext();
  await worker.queue!(batch, e, ctx);
  return getQueueResult(batch, ctx);
}

describe("the events consumer", () => {
  it("a message is text: a header line, then the NDJSON as the route serialized it", () => {
    const events = [event("exposure"), { ...event("custom"), name: "line\nbreak \"quoted\"" }];
    const text = encodeMessage(messageOf(events, 1_763_884_800_000));
    expect(text.split("\n")[0]).toBe("1763884800000 2");
    expect(text.slice(text.indexOf("\n") + 1)).toBe(events.map((e) => JSON.stringify(e) + "\n").join(""));
    expect(decodeMessage(text)).toEqual(messageOf(events, 1_763_884_800_000));
  });

  it("messages sent as JSON objects by an earlier Worker (in flight across a deploy) are stored too", async () => {
    const messages = [{ receivedAt: Date.now(), events: [event("exposure"), event("feedback")] }];
    const result = await deliver(batchOf(messages, 1, "edgeflag-events", true), env as unknown as Env);
    expect(result.ackAll).toBe(true);
    expect(await countStored(messages[0]!.events.map((e) => e.id as string))).toBe(2);
  });

  it("stores every event in D1 and the raw batch as NDJSON in R2, then acks", async () => {
    const messages = [{ receivedAt: Date.UTC(2026, 10, 23, 8), events: [event("exposure"), event("feedback")] }, { receivedAt: Date.UTC(2026, 10, 23, 8, 1), events: [event("execution")] }];
    const result = await deliver(batchOf(messages), env as unknown as Env);
    expect(result.ackAll).toBe(true);
    expect(result.retryBatch.retry).toBe(false);
    const all = messages.flatMap((m) => m.events);
    expect(await countStored(all.map((e) => e.id as string))).toBe(3);
    const listed = await env.EVENTS_ARCHIVE.list({ prefix: "events/2026-11-23/" });
    expect(listed.objects.every((o) => o.key.endsWith(".ndjson.gz"))).toBe(true);
    const gunzip = async (o: R2ObjectBody) => {
      expect(o.httpMetadata).toEqual({ contentType: "application/x-ndjson", contentEncoding: "gzip" });
      return new Response(o.body.pipeThrough(new DecompressionStream("gzip"))).text();
    };
    const objects = await Promise.all(listed.objects.map((o) => env.EVENTS_ARCHIVE.get(o.key).then((b) => gunzip(b!))));
    const mine = objects.find((text) => text.includes(all[0]!.id as string))!;
    expect(mine.trimEnd().split("\n").map((line) => JSON.parse(line))).toEqual(all);
    const received = await env.DB.prepare("SELECT received_at FROM events WHERE id = ?").bind(all[2]!.id).first<{ received_at: number }>();
    expect(received?.received_at).toBe(Date.UTC(2026, 10, 23, 8, 1));
  });

  it("a D1 failure retries the batch without acking; the redelivery stores each event once", async () => {
    const messages = [{ receivedAt: Date.now(), events: [event("exposure"), event("outcome"), event("custom")] }];
    const ids = messages[0]!.events.map((e) => e.id as string);
    let calls = 0;
    const locked = () => {
      calls++;
      return Promise.reject(new Error("D1_ERROR: database is locked"));
    };
    const failing = { ...env, DB: { prepare: () => ({ bind: () => ({ run: locked }) }), batch: locked } } as unknown as Env;
    const first = await deliver(batchOf(messages), failing);
    expect(calls).toBe(1);
    expect(first.ackAll).toBe(false);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryBatch.retry).toBe(true);
    expect(await countStored(ids)).toBe(0);

    const second = await deliver(batchOf(messages, 2), env as unknown as Env);
    expect(second.ackAll).toBe(true);
    expect(await countStored(ids)).toBe(3);
    // Delivered again (e.g. the ack was lost): still three rows.
    const third = await deliver(batchOf(messages, 3), env as unknown as Env);
    expect(third.ackAll).toBe(true);
    expect(await countStored(ids)).toBe(3);
  });

  it("an R2 failure after D1 also retries, and the retry does not double count", async () => {
    const messages = [{ receivedAt: Date.now(), events: [event("feedback"), event("feedback", { rating: "down" })] }];
    const ids = messages[0]!.events.map((e) => e.id as string);
    const noArchive = { ...env, EVENTS_ARCHIVE: { put: () => Promise.reject(new Error("R2 unavailable")) } } as unknown as Env;
    expect((await deliver(batchOf(messages), noArchive)).retryBatch.retry).toBe(true);
    expect((await deliver(batchOf(messages, 2), env as unknown as Env)).ackAll).toBe(true);
    expect(await countStored(ids)).toBe(2);
    const ups = await env.DB.prepare(`SELECT SUM(rating) AS ups, COUNT(*) AS n FROM events WHERE id IN (?, ?)`).bind(...ids).first();
    expect(ups).toEqual({ ups: 1, n: 2 });
  });
});

describe("one bad message does not hold the others", () => {
  it("when the batch fails, each message is stored on its own; only the failing one is retried", async () => {
    const good = [{ receivedAt: Date.now(), events: [event("exposure")] }, { receivedAt: Date.now(), events: [event("feedback")] }];
    const poisoned = { receivedAt: Date.now(), events: [event("custom", { name: "poison" })] };
    // A D1 that refuses any statement holding the poisoned message (as SQLite refuses malformed JSON).
    const picky = {
      ...env,
      DB: {
        prepare: (sql: string) => ({
          bind: (...args: unknown[]) => {
            const statement = env.DB.prepare(sql).bind(...args);
            return { run: () => (String(args[0]).includes("poison") ? Promise.reject(new Error("malformed JSON")) : statement.run()) };
          },
        }),
      },
    } as unknown as Env;
    const batch = batchOf([good[0]!, poisoned, good[1]!]);
    const result = await deliver(batch, picky);
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks.sort()).toEqual([batch.messages[0]!.id, batch.messages[2]!.id].sort());
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([batch.messages[1]!.id]);
    expect(await countStored(good.flatMap((m) => m.events.map((e) => e.id as string)))).toBe(2);
    expect(await countStored([poisoned.events[0]!.id as string])).toBe(0);
  });

  it("retries back off: 5 s doubling per attempt, at most an hour", () => {
    expect([1, 2, 3, 8, 11, 20].map(retryDelay)).toEqual([5, 10, 20, 640, 3600, 3600]);
  });

  it("dead letters are kept in R2 under dead-letter/, then acknowledged", async () => {
    const messages = [{ receivedAt: Date.UTC(2026, 10, 22), events: [event("execution")] }];
    const batch = createMessageBatch<EventsMessageBody>("edgeflag-events-dlq", messages.map((m, i) => ({ id: `dead-${i}`, timestamp: new Date(), attempts: 21, body: encodeMessage(messageOf(m.events, m.receivedAt)) })));
    const result = await deliver(batch, env as unknown as Env);
    expect(result.ackAll).toBe(true);
    const listed = await env.EVENTS_ARCHIVE.list({ prefix: "dead-letter/2026-11-22/" });
    expect(listed.objects).toHaveLength(1);
    const line = JSON.parse((await (await env.EVENTS_ARCHIVE.get(listed.objects[0]!.key))!.text()).trim());
    expect(line).toEqual({ id: "dead-0", attempts: 21, receivedAt: Date.UTC(2026, 10, 22), events: messages[0]!.events });
  });
});
