// Exposures, feedback and execution records over a real local HTTP server: dedup, batching,
// retry with backoff, storage full, and the exact event shapes.
import { beforeEach, describe, expect, test } from "vitest";
import { MemoryStorage, type KeyValueStorage } from "../../src/index.ts";
import { FlagServer, demoConfig, trusted, until, useFlagServer } from "./flag-server.ts";

const { server: current, make } = useFlagServer();
let server: FlagServer;
beforeEach(() => {
  server = current();
});
const ofType = (t: string) => server.events.filter((e) => e.type === t);

describe("exposures", () => {
  test("logged once per (flag, allocation, variant, subject), with the same assignmentId", async () => {
    const seen: unknown[] = [];
    const client = make({ onExposure: (e) => seen.push(e) });
    await client.ready();
    const first = client.evaluate("chat-model", "x");
    for (let i = 0; i < 10; i++) expect(client.evaluate("chat-model", "x").assignmentId).toBe(first.assignmentId);
    client.evaluate("chat-model", "x", { subject: "user-2" });
    client.evaluate("new-ui", false); // a plain rollout: not logged
    await client.flush();
    expect(ofType("exposure")).toHaveLength(2);
    expect(seen).toHaveLength(2);
    expect(ofType("exposure")[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: "exposure", env: "test", ts: expect.any(Number), subject: "user-1",
      flag: "chat-model", allocation: "exp", variant: first.variant, version: 5, kid: trusted.keys[0]!.kid, assignmentId: first.assignmentId,
    });
  });

  test("batched by size: batchSize 3 sends 3 events a post as text/plain JSON", async () => {
    const client = make({ batchSize: 3, flushIntervalMs: 60_000 });
    await client.ready();
    for (let i = 0; i < 6; i++) client.evaluate("chat-model", "x", { subject: `s-${i}` });
    await until(() => server.events.length === 6);
    expect(server.posts).toEqual([{ contentType: "text/plain;charset=UTF-8", count: 3 }, { contentType: "text/plain;charset=UTF-8", count: 3 }]);
  });

  test("batched by time: fewer than batchSize are sent after flushIntervalMs", async () => {
    const client = make({ batchSize: 50, flushIntervalMs: 100 });
    await client.ready();
    client.evaluate("chat-model", "x");
    await until(() => server.events.length === 1, 3000);
  });

  test("a failing server is retried with backoff; nothing is lost and nothing doubled", async () => {
    server.failNext = 2;
    const client = make({ batchSize: 1 });
    await client.ready();
    client.evaluate("chat-model", "x", { subject: "a" });
    client.evaluate("chat-model", "x", { subject: "b" });
    await until(() => server.events.length === 2, 15_000);
    expect(new Set(server.events.map((e) => e.subject))).toEqual(new Set(["a", "b"]));
    // A batch sent before goes to ?resent=1, so the server checks for ids it stored already.
    expect(server.posts.some((p) => p.resent)).toBe(true);
  }, 20_000);

  test("a batch the server finds too large (413) is halved until it fits; nothing is lost", async () => {
    server.maxBatch = 3;
    const client = make({ batchSize: 10, flushIntervalMs: 60_000 });
    await client.ready();
    for (let i = 0; i < 10; i++) client.evaluate("chat-model", "x", { subject: `big-${i}` });
    await client.flush();
    await until(() => server.events.length === 10);
    expect(server.posts.every((p) => p.count <= 3)).toBe(true);
  });

  test("one event too large on its own is dropped with an error, and the queue moves on", async () => {
    server.maxBatch = 0;
    const errors: unknown[] = [];
    const client = make({ batchSize: 2, flushIntervalMs: 60_000 });
    client.on("error", (e) => errors.push(e));
    await client.ready();
    client.evaluate("chat-model", "x", { subject: "huge-1" });
    client.evaluate("chat-model", "x", { subject: "huge-2" });
    await client.flush();
    expect(errors).toEqual([{ code: "EVENTS_DROPPED", message: "1 events dropped: too large for the server (413)" }, { code: "EVENTS_DROPPED", message: "1 events dropped: too large for the server (413)" }]);
    server.maxBatch = Infinity;
    client.evaluate("chat-model", "x", { subject: "small" });
    await client.flush();
    await until(() => server.events.length === 1);
  });

  test("events queued while the server is down survive a reload and are delivered after it", async () => {
    const storage = new MemoryStorage();
    server.failNext = 1000;
    const before = make({ storage });
    await before.ready();
    before.evaluate("chat-model", "x", { subject: "offline-1" });
    before.track("copied", 1);
    await before.flush();
    before.close();
    expect(server.events).toHaveLength(0);
    server.failNext = 0;
    const after = make({ storage });
    await after.flush();
    await until(() => server.events.length === 2);
    expect(server.events.map((e) => e.type).sort()).toEqual(["custom", "exposure"]);
    expect(server.posts.every((p) => p.resent)).toBe(true);
  });

  test("a full storage (QuotaExceededError) loses nothing that is in memory", async () => {
    const full: KeyValueStorage = { getItem: () => null, setItem() { throw new DOMException("full", "QuotaExceededError"); }, removeItem() {} };
    const client = make({ storage: full });
    await client.ready();
    client.evaluate("chat-model", "x");
    await client.flush();
    expect(ofType("exposure")).toHaveLength(1);
  });
});

describe("feedback and LLM records", () => {
  test("feedback: thumbs, scores, reasons and comments; invalid ratings are refused with an error event", async () => {
    const client = make();
    await client.ready();
    const a = client.evaluate("chat-model", "x");
    const errors: unknown[] = [];
    client.on("error", (e) => errors.push(e));
    client.feedback(a, "up");
    client.feedback(a, "down", { reason: "hallucination", comment: "made up a URL" });
    client.feedback(a, 4);
    client.feedback(a, "sideways" as never);
    await client.flush();
    const common = { type: "feedback", env: "test", subject: "user-1", flag: "chat-model", variant: a.variant, assignmentId: a.assignmentId };
    expect(ofType("feedback").map(({ id, ts, ...rest }) => rest)).toEqual([
      { ...common, rating: "up" },
      { ...common, rating: "down", reason: "hallucination", comment: "made up a URL" },
      { ...common, score: 4 },
    ]);
    expect(errors).toEqual([{ code: "INVALID_FEEDBACK", message: 'feedback is "up", "down" or a number, not sideways' }]);
  });

  test("record() reads OpenAI and Anthropic usage; explicit values win; the rest is metadata", async () => {
    const client = make();
    await client.ready();
    const a = client.evaluate("chat-model", "x");
    a.record({ model: "gpt-4o", usage: { prompt_tokens: 120, completion_tokens: 30 } }, { latencyMs: 850, ttftMs: 210, cost: 0.0012 });
    a.record({ model: "claude-sonnet", usage: { input_tokens: 90, output_tokens: 12 } }, { outputTokens: 15, promptId: "p-7" });
    a.record(undefined, { error: new Error("upstream 529"), latencyMs: 40 });
    a.success();
    a.failure();
    a.track("regenerated", 1);
    await client.flush();
    const of = { env: "test", subject: "user-1", flag: "chat-model", variant: a.variant, assignmentId: a.assignmentId };
    expect(server.events.filter((e) => e.type !== "exposure").map(({ id, ts, ...rest }) => rest)).toEqual([
      { type: "execution", ...of, model: "gpt-4o", inputTokens: 120, outputTokens: 30, latencyMs: 850, ttftMs: 210, cost: 0.0012 },
      { type: "execution", ...of, model: "claude-sonnet", inputTokens: 90, outputTokens: 15, metadata: { promptId: "p-7" } },
      { type: "execution", ...of, latencyMs: 40, error: "upstream 529" },
      { type: "outcome", ...of, success: true },
      { type: "outcome", ...of, success: false },
      { type: "custom", ...of, name: "regenerated", value: 1 },
    ]);
    expect(new Set(server.events.map((e) => e.id)).size).toBe(server.events.length);
  });
});

describe("the page going away", () => {
  test("events in a keepalive fetch on its way are not beaconed again; the rest are", async () => {
    const g = globalThis as Record<string, unknown>;
    const saved = { document: Object.getOwnPropertyDescriptor(g, "document"), navigator: Object.getOwnPropertyDescriptor(g, "navigator") };
    const doc = new EventTarget() as EventTarget & { visibilityState: string };
    doc.visibilityState = "visible";
    const beacons: { url: string; ids: string[] }[] = [];
    const blobText = async (b: Blob) => JSON.parse(await b.text()) as { id: string }[];
    const pendingBeacons: Promise<void>[] = [];
    Object.defineProperty(g, "document", { value: doc, configurable: true, writable: true });
    Object.defineProperty(g, "navigator", {
      value: { onLine: true, sendBeacon: (url: string, body: Blob) => (pendingBeacons.push(blobText(body).then((events) => void beacons.push({ url, ids: events.map((e) => e.id) }))), true) },
      configurable: true,
      writable: true,
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const posted: { keepalive: boolean; ids: string[] }[] = [];
    try {
      const client = make({
        batchSize: 2,
        flushIntervalMs: 60_000,
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          if (init?.method !== "POST") return fetch(input, init);
          posted.push({ keepalive: init.keepalive === true, ids: (JSON.parse(String(init.body)) as { id: string }[]).map((e) => e.id) });
          await held; // the server takes the batch, slowly
          return fetch(input, init);
        },
      });
      await client.ready();
      client.evaluate("chat-model", "x", { subject: "a" });
      client.evaluate("chat-model", "x", { subject: "b" }); // batchSize 2: sent now, and held
      await until(() => posted.length === 1);
      client.evaluate("chat-model", "x", { subject: "c" }); // waits in the queue
      doc.visibilityState = "hidden";
      doc.dispatchEvent(new Event("visibilitychange"));
      await Promise.all(pendingBeacons);
      expect(posted[0]!.keepalive).toBe(true);
      expect(beacons).toHaveLength(1);
      expect(beacons[0]!.ids).toHaveLength(1);
      expect(posted[0]!.ids).not.toContain(beacons[0]!.ids[0]);
      release();
      await until(() => server.events.length === 2);
      expect(server.events.map((e) => e.id).sort()).toEqual([...posted[0]!.ids].sort());
      client.close();
    } finally {
      release();
      for (const [name, d] of Object.entries(saved)) (d ? Object.defineProperty(g, name, d) : delete g[name]);
    }
  });
});
