// What a flaky network and a busy page do to the client: hanging requests time out, an
// unreachable JWKS keeps the cached config, a full queue says so, an explicit flush does not
// wait out a backoff, two tabs share one queue without losing each other's events.
import { beforeEach, describe, expect, test } from "vitest";
import { MemoryStorage } from "../../src/index.ts";
import { FlagServer, until, useFlagServer } from "./flag-server.ts";

const { server: current, make } = useFlagServer();
let server: FlagServer;
beforeEach(() => {
  server = current();
});
const never = () => new Promise<Response>(() => {});

describe("resilience", () => {
  test("a request that hangs times out: ready() resolves, evaluation gives the default", async () => {
    const hanging = (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    const client = make({ fetch: hanging, timeoutMs: 100 });
    const errors: Array<{ code: string }> = [];
    client.on("error", (e) => errors.push(e as { code: string }));
    const timedOut = { code: "FETCH_FAILED", message: `GET ${server.url}/v1/configs/test: The operation was aborted due to timeout` };
    expect(await client.ready()).toEqual({ ok: false, version: null, source: null, error: timedOut });
    expect(client.evaluate("chat-model", "fallback")).toMatchObject({ value: "fallback", reason: "ERROR" });
    expect(errors.map((e) => e.code)).toEqual(["FETCH_FAILED"]);
  });

  test("with a JWKS URL and no network, the cached config stays in use", async () => {
    const storage = new MemoryStorage();
    await make({ storage, keys: undefined, jwksUrl: `${server.url}/.well-known/jwks.json` }).ready();
    const offline = make({ storage, keys: undefined, jwksUrl: `${server.url}/.well-known/jwks.json`, fetch: () => Promise.reject(new TypeError("offline")) });
    const errors: Array<{ code: string }> = [];
    offline.on("error", (e) => errors.push(e as { code: string }));
    expect(offline.evaluate("chat-model", "x")).toMatchObject({ version: 5, reason: "SPLIT" });
    await offline.ready();
    expect(offline.evaluate("chat-model", "x")).toMatchObject({ version: 5, reason: "SPLIT" });
    expect(errors.map((e) => e.code)).toContain("JWKS_UNAVAILABLE");
    const again = make({ storage, keys: undefined, jwksUrl: `${server.url}/.well-known/jwks.json`, fetch: never });
    expect(again.evaluate("chat-model", "x").version).toBe(5); // the cache was not wiped
  });

  test("a full queue drops the oldest events and says so", async () => {
    server.failNext = 1000;
    const client = make({ maxQueuedEvents: 3, batchSize: 100 });
    await client.ready();
    const errors: Array<{ code: string; message: string }> = [];
    client.on("error", (e) => errors.push(e as { code: string; message: string }));
    for (let i = 0; i < 5; i++) client.track(`event-${i}`);
    expect(errors).toEqual([
      { code: "EVENTS_DROPPED", message: "1 events dropped: the queue is full (maxQueuedEvents)" },
      { code: "EVENTS_DROPPED", message: "1 events dropped: the queue is full (maxQueuedEvents)" },
    ]);
    server.failNext = 0;
    await client.flush();
    expect(server.events.map((e) => e.name)).toEqual(["event-2", "event-3", "event-4"]);
  });

  test("an explicit flush() tries at once, even during a backoff (a Worker's waitUntil)", async () => {
    server.failNext = 1;
    const client = make({ batchSize: 1, flushIntervalMs: 0 });
    await client.ready();
    client.track("copied");
    await until(() => server.failNext === 0); // the first post failed: a backoff of up to 1 s is pending
    await client.flush();
    expect(server.events.map((e) => e.name)).toEqual(["copied"]);
  });

  test("two tabs on one storage never drop each other's queued events", async () => {
    server.failNext = 1000;
    const storage = new MemoryStorage();
    const a = make({ storage, subject: "tab-a", batchSize: 100 });
    const b = make({ storage, subject: "tab-b", batchSize: 100 });
    await Promise.all([a.ready(), b.ready()]);
    a.track("from-a");
    b.track("from-b");
    await Promise.all([a.flush(), b.flush()]);
    a.close();
    b.close();
    server.failNext = 0;
    await make({ storage }).flush();
    await until(() => server.events.length === 2);
    expect(server.events.map((e) => e.name).sort()).toEqual(["from-a", "from-b"]);
  });

  test("the default subject and the last assignment shown are readable without logging anything", async () => {
    const client = make({ subject: undefined });
    await client.ready();
    expect(client.subject).toMatch(/^anon-[0-9a-f-]{36}$/);
    expect(client.lastAssignment("chat-model")).toBeUndefined();
    const shown = client.evaluate("chat-model", "x");
    expect(client.lastAssignment("chat-model")).toBe(shown);
    await client.flush();
    expect(server.events.filter((e) => e.type === "exposure")).toHaveLength(1);
  });

  test("a null context, attributes or options never throw into the caller", async () => {
    const client = make();
    await client.ready();
    expect(client.evaluate("chat-model", "x", null).reason).toBe("SPLIT");
    expect(() => client.setContext(null as never)).not.toThrow();
    expect(() => client.track("x", 1, null)).not.toThrow();
    expect(client.evaluate("chat-model", "x", { attributes: null as never }).reason).toBe("SPLIT");
  });

  test("a JWKS URL that answers something else (a captive portal) keeps the cached config", async () => {
    const storage = new MemoryStorage();
    const jwksUrl = `${server.url}/.well-known/jwks.json`;
    await make({ storage, keys: undefined, jwksUrl }).ready();
    const portal = (url: RequestInfo | URL) => Promise.resolve(new Response("<html>sign in to the wifi</html>", { status: 200, headers: { "content-type": "text/html" } }));
    const client = make({ storage, keys: undefined, jwksUrl, fetch: portal });
    await client.ready();
    expect(client.evaluate("chat-model", "x").version).toBe(5);
    expect(make({ storage, keys: undefined, jwksUrl, fetch: never }).evaluate("chat-model", "x").version).toBe(5);
  });

  test("events refused with 404 (no route yet) are kept, reported, and delivered once the route answers", async () => {
    server.failStatus = 404;
    server.failNext = 1;
    const client = make({ batchSize: 1 });
    const errors: Array<{ code: string }> = [];
    client.on("error", (e) => errors.push(e as { code: string }));
    await client.ready();
    client.track("kept");
    await until(() => server.failNext === 0);
    await client.flush();
    expect(errors.map((e) => e.code)).toEqual(["EVENTS_REJECTED"]);
    expect(server.events.map((e) => e.name)).toEqual(["kept"]);
  });

  test("a forged cached config with the served version number never runs as verified, and its exposures are dropped", async () => {
    const storage = new MemoryStorage();
    await make({ storage }).ready();
    const key = "edgeflag:test@" + new URL(server.url).host + ":config";
    const cached = JSON.parse(storage.getItem(key)!);
    const [h, p, sig] = cached.jws.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    payload.flags["chat-model"].variants.large.value = "EVIL";
    payload.flags["chat-model"].variants.small.value = "EVIL";
    storage.setItem(key, JSON.stringify({ ...cached, jws: `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${sig}` }));
    const client = make({ storage });
    const forged = client.evaluate("chat-model", "x");
    expect(forged.value).toBe("EVIL"); // first paint, before verification
    await client.refresh();
    await client.ready();
    const verified = client.evaluate("chat-model", "x");
    expect(verified.value).not.toBe("EVIL");
    await client.flush();
    const exposures = server.events.filter((e) => e.type === "exposure");
    expect(exposures.map((e) => e.assignmentId)).toEqual([verified.assignmentId]); // none from the forged config
    expect(verified.assignmentId).not.toBe(forged.assignmentId);
  });
});
