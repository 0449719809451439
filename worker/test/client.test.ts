// The SDK client inside workerd, as a Worker would run it: the config comes from this Worker (its
// default export, after a publish through the admin API); events go to a recording fetch, so the
// test sees the exact batches the HTTP sink sends (worker-client.test.ts covers the Queue sink);
// flush() is the promise a Worker hands to ctx.waitUntil.
import { exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, test } from "vitest";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { CONFIG, ORIGIN, PUBLIC_JWKS, publish, withModel } from "./helpers.ts";

import { createClient, MemoryStorage, type ClientOptions, type EdgeflagClient, type ExposureEvent } from "@edgeflag/sdk";

const EVENTS_URL = "https://events.edgeflag.test/v1/events";
const SUBJECTS = ["user-1", "user-2", "user-3", "user-4", "user-5", "user-6"];

interface Post { contentType: string | null; events: Array<Record<string, unknown>> }

/** Config and JWKS requests go to the Worker itself; event posts are recorded, after `delayMs`. */
function fetchVia(delayMs = 0): { fetch: typeof fetch; posts: Post[] } {
  const posts: Post[] = [];
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.url !== EVENTS_URL) return exports.default.fetch(request);
    const body = await request.text();
    await scheduler.wait(delayMs);
    posts.push({ contentType: request.headers.get("content-type"), events: JSON.parse(body) });
    return new Response(null, { status: 202 });
  };
  return { fetch: fetcher as typeof fetch, posts };
}

const clients: EdgeflagClient[] = [];
const make = (options: Partial<ClientOptions> & { env: string; fetch: typeof fetch }) => {
  const client = createClient({ baseUrl: ORIGIN, keys: PUBLIC_JWKS, pollIntervalMs: 0, eventsUrl: EVENTS_URL, ...options });
  clients.push(client);
  return client;
};
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

describe("the client in workerd", () => {
  test("ready() verifies the Worker's config (keys from its JWKS URL); evaluate agrees with the core", async () => {
    const version = await publish("client-eval");
    const { fetch } = fetchVia();
    const client = make({ env: "client-eval", keys: undefined, jwksUrl: `${ORIGIN}/.well-known/jwks.json`, fetch, storage: new MemoryStorage() });
    expect(await client.ready()).toEqual({ ok: true, version, source: "network" });
    const compiled = compileConfig(CONFIG);
    for (const subject of SUBJECTS) {
      const a = client.evaluate("chat-model", "fallback", { subject });
      const core = evaluate(compiled, "chat-model", { subject }, "fallback");
      expect([a.variant, a.value, a.reason, a.allocation, a.version]).toEqual([core.variant, core.value, "SPLIT", "experiment", version]);
    }
    expect(client.getBoolean("new-checkout", false, { subject: "user-1" })).toBe(evaluate(compiled, "new-checkout", { subject: "user-1" }, false).value);
  });

  test("refresh() takes a newly published version; an unchanged one is a 304", async () => {
    await publish("client-refresh");
    const { fetch } = fetchVia();
    const client = make({ env: "client-refresh", fetch });
    await client.ready();
    const updates: unknown[] = [];
    client.on("update", (u) => updates.push(u));
    await client.refresh();
    expect(updates).toEqual([]);
    const v2 = await publish("client-refresh", withModel("gpt-4o"));
    await client.refresh();
    expect(updates).toEqual([{ version: v2, source: "network" }]);
  });

  test("exposures are deduped; flush() resolves once the batch was handed over, as ctx.waitUntil needs", async () => {
    const version = await publish("client-events");
    const { fetch, posts } = fetchVia(50); // the event endpoint answers after 50 ms
    const exposed: string[] = [];
    const client = make({ env: "client-events", fetch, batchSize: 100, flushIntervalMs: 60_000, onExposure: (e: ExposureEvent) => exposed.push(e.subject) });
    await client.ready();
    const ids = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (const subject of SUBJECTS) ids.set(subject, client.evaluate("chat-model", "fallback", { subject }).assignmentId);
    }
    const a = client.evaluate("chat-model", "fallback", { subject: "user-1" });
    a.record({ model: "gpt-4", usage: { prompt_tokens: 12, completion_tokens: 34 } }, { latencyMs: 321 });

    const ctx = createExecutionContext();
    const flushed = client.flush();
    expect(flushed).toBeInstanceOf(Promise);
    ctx.waitUntil(flushed);
    expect(posts).toEqual([]); // handed over, not yet delivered
    await waitOnExecutionContext(ctx);

    expect(posts).toHaveLength(1);
    expect(posts[0]!.contentType).toBe("text/plain;charset=UTF-8");
    const events = posts[0]!.events;
    const exposures = events.filter((e) => e.type === "exposure");
    expect(exposures.map((e) => e.subject)).toEqual(SUBJECTS);
    expect(exposed).toEqual(SUBJECTS);
    for (const e of exposures) expect(e).toMatchObject({ env: "client-events", flag: "chat-model", allocation: "experiment", version, assignmentId: ids.get(e.subject as string) });
    expect(events.find((e) => e.type === "execution")).toMatchObject({
      assignmentId: a.assignmentId, model: "gpt-4", inputTokens: 12, outputTokens: 34, latencyMs: 321, subject: "user-1", variant: a.variant,
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    await client.flush(); // nothing left: no second post
    expect(posts).toHaveLength(1);
  });
});
