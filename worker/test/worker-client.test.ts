// The SDK's Worker shell inside workerd, as the edge router will run it: configs read from the real
// KV binding (published through the admin API), verified as in browsers; exposures, executions and
// feedback written straight to the real EVENTS Queue binding and stored in D1 by the real consumer.
// The exposures are deduplicated by the same session code as the browser client's.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, test } from "vitest";
import { createClient, MemoryStorage, type ClientError, type EdgeflagEvent, type EventSink } from "@edgeflag/sdk";
import { createWorkerClient, kvConfigSource, type QueueLike } from "@edgeflag/sdk/worker";
import { waitStored } from "./events-helpers.ts";
import { ORIGIN, PUBLIC_JWKS, publish, withModel } from "./helpers.ts";

const SUBJECTS = ["user-1", "user-2", "user-3", "user-4", "user-5", "user-6"];
const source = (name: string) => kvConfigSource(env.FLAGS, name);
const workerClient = (name: string, queue: QueueLike = env.EVENTS) => createWorkerClient({ env: name, keys: PUBLIC_JWKS, queue, source: source(name) });

interface Row { id: string; type: string; subject: string; flag: string; allocation: string | null; variant: string | null; version: number | null; assignment_id: string; model: string | null; input_tokens: number | null; latency_ms: number | null; rating: number | null }

/** Three rounds over the subjects, an execution and a thumbs-up: what a router does per request. */
function traffic(client: ReturnType<typeof createWorkerClient>) {
  for (let round = 0; round < 3; round++) for (const subject of SUBJECTS) client.evaluate("chat-model", "fallback", { subject });
  const a = client.evaluate("chat-model", "fallback", { subject: "user-1" });
  a.record({ model: "gpt-4", usage: { prompt_tokens: 12, completion_tokens: 34 } }, { latencyMs: 321 });
  client.feedback(a, "up");
  return a;
}

describe("the SDK's Worker shell (KV + Queue)", () => {
  test("verifies the config it reads from KV; a new version is taken on refresh(), an unchanged one costs no version read", async () => {
    const v1 = await publish("shell-config");
    const reads: string[] = [];
    const kv = { get: (key: string, options?: { cacheTtl?: number }) => (reads.push(key), env.FLAGS.get(key, options)) };
    const client = createWorkerClient({ env: "shell-config", keys: PUBLIC_JWKS, queue: env.EVENTS, source: kvConfigSource(kv, "shell-config") });
    expect(await client.ready()).toEqual({ ok: true, version: v1, source: "network" });
    expect(reads).toEqual(["config:shell-config:latest", `config:shell-config:${v1}`]);
    const updates: unknown[] = [];
    client.on("update", (u) => updates.push(u));
    await client.refresh();
    expect(updates).toEqual([]);
    expect(reads.slice(2)).toEqual(["config:shell-config:latest"]);
    const v2 = await publish("shell-config", withModel("gpt-4o"));
    await client.refresh();
    expect(updates).toEqual([{ version: v2, source: "network" }]);
    expect(client.evaluate("chat-model", "x", { subject: "user-2" }).version).toBe(v2);
  });

  test("a config signed by a key the client does not trust is refused; a missing env says ENV_NOT_FOUND", async () => {
    await publish("shell-untrusted");
    const stranger = { ...PUBLIC_JWKS.keys[0]!, kid: "someone-else" };
    const client = createWorkerClient({ env: "shell-untrusted", keys: [stranger], queue: env.EVENTS, source: source("shell-untrusted") });
    const state = await client.ready();
    expect([state.ok, state.error?.code]).toEqual([false, "UNKNOWN_KID"]);
    const missing = await workerClient("shell-nothing-here").ready();
    expect(missing).toEqual({ ok: false, version: null, source: null, error: { code: "FETCH_FAILED", message: "KV config:shell-nothing-here:latest: nothing was published", serverCode: "ENV_NOT_FOUND" } });
  });

  test("exposures (one per flag, allocation, variant, subject), executions and feedback reach D1 through the Queue and the real consumer", async () => {
    const version = await publish("shell-events");
    const client = workerClient("shell-events");
    await client.ready();
    const a = traffic(client);
    const ctx = createExecutionContext();
    ctx.waitUntil(client.flush());
    await waitOnExecutionContext(ctx);

    // The browser client's session over an array sink: the same exposures, the same assignment per subject.
    const browserSide: EdgeflagEvent[] = [];
    const arraySink: EventSink = { send: async (batch) => (browserSide.push(...batch), "sent") };
    const browser = createClient({ baseUrl: "https://unused.example", env: "shell-events", keys: PUBLIC_JWKS, source: source("shell-events"), sink: arraySink, storage: new MemoryStorage(), pollIntervalMs: 0 });
    await browser.ready();
    traffic(browser);
    await browser.flush();

    const sent = await storedOf("shell-events", 8);
    const exposures = sent.filter((r) => r.type === "exposure");
    expect(exposures.map((r) => r.subject).sort()).toEqual(SUBJECTS);
    const key = (e: { subject: string; flag?: string; allocation?: string | null; variant?: string | null }) => `${e.flag}/${e.allocation}/${e.variant}/${e.subject}`;
    expect(exposures.map(key).sort()).toEqual(browserSide.filter((e) => e.type === "exposure").map((e) => key(e as never)).sort());
    for (const r of exposures) expect(r).toMatchObject({ flag: "chat-model", allocation: "experiment", version });
    expect(sent.find((r) => r.type === "execution")).toMatchObject({ assignment_id: a.assignmentId, subject: "user-1", variant: a.variant, model: "gpt-4", input_tokens: 12, latency_ms: 321 });
    expect(sent.find((r) => r.type === "feedback")).toMatchObject({ assignment_id: a.assignmentId, rating: 1 });
    expect(sent).toHaveLength(8);
    browser.close();
  });

  test("an event the schema refuses is reported and dropped, the rest are stored; a Queue that throws is retried", async () => {
    await publish("shell-refused");
    const sends: string[] = [];
    let failures = 1;
    const flaky: QueueLike = {
      async send(body, options) {
        if (failures-- > 0) throw new Error("queue unavailable");
        sends.push(body);
        return env.EVENTS.send(body, options);
      },
    };
    const client = workerClient("shell-refused", flaky);
    const errors: ClientError[] = [];
    client.on("error", (e) => errors.push(e));
    await client.ready();
    const a = client.evaluate("chat-model", "fallback", { subject: "user-9" });
    a.track("", 1); // a custom event needs a non-empty name
    a.success();
    await client.flush(); // the Queue throws: a backoff is set
    expect(sends).toEqual([]);
    await client.flush(); // an explicit flush tries at once
    expect(sends).toHaveLength(1);
    const [header, ...lines] = sends[0]!.trimEnd().split("\n");
    expect(header).toMatch(/^\d{13} 2$/);
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(["exposure", "outcome"]);
    expect(errors.map((e) => e.code)).toEqual(["EVENTS_REJECTED", "EVENTS_REJECTED"]);
    expect(await waitStored(lines.map((l) => JSON.parse(l).id))).toBe(2);
  });
});

/** The rows of an env once the consumer stored `count` of them. */
async function storedOf(name: string, count: number): Promise<Row[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const found = (await env.DB.prepare("SELECT * FROM events WHERE env = ? ORDER BY ts, id").bind(name).all<Row>()).results;
    if (found.length >= count || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the browser client's reasons, against the real Worker", () => {
  const viaWorker = ((input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init))) as typeof fetch;

  test("a wrong env: FETCH_FAILED carries the Worker's 404 ENV_NOT_FOUND and its message, in the event and in ready()", async () => {
    const client = createClient({ baseUrl: ORIGIN, env: "no-such-env", keys: PUBLIC_JWKS, fetch: viaWorker, storage: new MemoryStorage(), pollIntervalMs: 0 });
    const errors: ClientError[] = [];
    client.on("error", (e) => errors.push(e));
    const expected = { code: "FETCH_FAILED", message: `GET ${ORIGIN}/v1/configs/no-such-env: HTTP 404 ENV_NOT_FOUND: nothing was published for env "no-such-env"`, status: 404, serverCode: "ENV_NOT_FOUND" };
    expect(await client.ready()).toEqual({ ok: false, version: null, source: null, error: expected });
    expect(errors).toEqual([expected]);
    client.close();
  });

  test("none of keys, rootKey, jwksUrl: nothing is trusted, and ready() and the error event say so (never a throw)", async () => {
    await publish("no-keys");
    const client = createClient({ baseUrl: ORIGIN, env: "no-keys", fetch: viaWorker, storage: new MemoryStorage(), pollIntervalMs: 0 });
    const errors: ClientError[] = [];
    client.on("error", (e) => errors.push(e));
    const expected = { code: "NO_TRUSTED_KEYS", message: "no trusted keys: give keys, rootKey or jwksUrl" };
    expect(await client.ready()).toEqual({ ok: false, version: null, source: null, error: expected });
    expect(errors).toEqual([expected]);
    expect(client.evaluate("chat-model", "fallback", { subject: "user-1" })).toMatchObject({ value: "fallback", reason: "ERROR" });
    client.close();
  });
});
