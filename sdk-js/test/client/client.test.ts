// The client over a real local HTTP server: verified config, synchronous evaluation, refresh,
// rollback protection across reloads, and never an exception into the host application.
import { beforeEach, describe, expect, test } from "vitest";
import { MemoryStorage, compileConfig, evaluate, type KeyValueStorage } from "../../src/index.ts";
import { FlagServer, demoConfig, sign, signUnchecked, until, useFlagServer } from "./flag-server.ts";

const { server: current, make } = useFlagServer();
let server: FlagServer;
beforeEach(() => {
  server = current();
});

describe("client config", () => {
  test("ready() resolves with a verified config; evaluation agrees with the core", async () => {
    const client = make();
    expect(await client.ready()).toEqual({ ok: true, version: 5, source: "network" });
    const compiled = compileConfig(demoConfig());
    for (const subject of ["user-1", "user-2", "José", "🚀"]) {
      const a = client.evaluate("chat-model", "fallback", { subject });
      const core = evaluate(compiled, "chat-model", { subject });
      expect([a.variant, a.value, a.reason, a.allocation, a.version]).toEqual([core.variant, core.value, "SPLIT", "exp", 5]);
      expect(a.assignmentId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(client.getBoolean("new-ui", false)).toBe(true);
    expect(client.getString("new-ui", "typed default")).toBe("typed default");
    expect(client.getNumber("missing", 7)).toBe(7);
  });

  test("with a cached config the first evaluation is synchronous, before any network answer", async () => {
    const storage = new MemoryStorage();
    await make({ storage }).ready();
    const second = make({ storage, fetch: () => new Promise<Response>(() => {}) }); // the network never answers
    const a = second.evaluate("chat-model", "fallback");
    expect(a).toMatchObject({ version: 5, reason: "SPLIT" });
    expect(await second.ready()).toEqual({ ok: true, version: 5, source: "cache" });
  });

  test("refresh uses If-None-Match, takes a new version and fires update", async () => {
    const client = make();
    await client.ready();
    const updates: unknown[] = [];
    client.on("update", (u) => updates.push(u));
    await client.refresh();
    expect(server.configRequests.at(-1)).toBe('"5"');
    await server.publish(demoConfig("gpt-4.1"), 6);
    await client.refresh();
    expect(client.version).toBe(6);
    expect(updates).toEqual([{ version: 6, source: "network" }]);
  });

  test("an older version is refused even after a reload; the last good config stays", async () => {
    const storage = new MemoryStorage();
    await make({ storage }).ready();
    await server.publish(demoConfig("old"), 4);
    const reloaded = make({ storage });
    const errors: Array<{ code: string }> = [];
    reloaded.on("error", (e) => errors.push(e as { code: string }));
    await reloaded.ready();
    await reloaded.refresh();
    expect(reloaded.version).toBe(5);
    expect(errors.map((e) => e.code)).toContain("ROLLBACK");
  });

  test("a tampered config from the server is refused and the last good one stays", async () => {
    const client = make();
    await client.ready();
    const [h, p] = (await sign(demoConfig("evil"), 9)).split(".");
    const [, , goodSig] = server.jws.split(".");
    server.jws = `${h}.${p}.${goodSig}`;
    server.version = 9;
    const errors: Array<{ code: string }> = [];
    client.on("error", (e) => errors.push(e as { code: string }));
    await client.refresh();
    expect(errors.map((e) => e.code)).toEqual(["SIGNATURE_INVALID"]);
    expect(client.version).toBe(5);
  });

  test("a signed flag the evaluator cannot run gives the caller's default and names the field; the other flags work", async () => {
    const config = demoConfig();
    const broken = { ...config.flags["chat-model"], variants: "small,large" };
    server.jws = await signUnchecked({ flags: { ...config.flags, "chat-model": broken } }, 6);
    server.version = 6;
    const client = make();
    expect(await client.ready()).toEqual({ ok: true, version: 6, source: "network" });
    expect(client.evaluate("chat-model", "fallback")).toMatchObject({
      value: "fallback", variant: null, reason: "ERROR", errorCode: "INVALID_FLAG", errorMessage: "/flags/chat-model: variants must be an object",
    });
    expect(client.getBoolean("new-ui", false)).toBe(true);
  });

  test("a signed payload with no flags object is refused and the last good config stays", async () => {
    const storage = new MemoryStorage();
    const client = make({ storage });
    await client.ready();
    const errors: unknown[] = [];
    client.on("error", (e) => errors.push(e));
    server.jws = await signUnchecked({ flags: [] }, 6);
    server.version = 6;
    await client.refresh();
    expect(errors).toEqual([{ code: "SCHEMA_INVALID", message: "not a valid config: /flags: must be an object" }]);
    expect([client.version, client.getBoolean("new-ui", false)]).toEqual([5, true]);
    const reloaded = make({ storage, fetch: () => new Promise<Response>(() => {}) }); // the cache still holds version 5
    expect(reloaded.evaluate("new-ui", false)).toMatchObject({ version: 5, value: true });
  });

  test("nothing throws into the caller: no config, bad keys, server errors, broken storage, throwing callbacks", async () => {
    const broken: KeyValueStorage = { getItem() { throw new Error("SecurityError"); }, setItem() { throw new Error("QuotaExceededError"); }, removeItem() { throw new Error("x"); } };
    const cases = [
      make({ baseUrl: "http://127.0.0.1:9" }), // nothing listens
      make({ keys: "not a key" as never }),
      make({ storage: broken, onExposure: () => { throw new Error("boom"); } }),
      make({ fetch: () => { throw new TypeError("fetch is broken"); } }),
    ];
    for (const c of cases) {
      const state = await c.ready();
      const a = c.evaluate("chat-model", "fallback");
      expect(typeof a.reason).toBe("string");
      if (!state.ok) expect([a.value, a.reason]).toEqual(["fallback", "ERROR"]);
      a.record({ usage: { prompt_tokens: 1 } }, { latencyMs: 5 });
      c.feedback(a, "up");
      c.track("copied");
      await c.flush();
    }
    expect((await cases[2]!.ready()).ok).toBe(true); // broken storage still works from memory
  });

  test("a bootstrap config (SSR) is used at first paint and verified; a tampered one is refused", async () => {
    const never = () => new Promise<Response>(() => {});
    const good = make({ bootstrap: server.jws, fetch: never });
    expect(good.evaluate("chat-model", "x")).toMatchObject({ version: 5, reason: "SPLIT" });
    expect(await good.ready()).toEqual({ ok: true, version: 5, source: "bootstrap" });
    const [h, p, sig] = server.jws.split(".");
    const forged = `${h}.${p!.slice(0, -4)}${p!.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}.${sig}`;
    const bad = make({ bootstrap: forged, fetch: never, timeoutMs: 100 }); // a fetch that ignores signals still times out
    const errors: Array<{ code: string }> = [];
    bad.on("error", (e) => errors.push(e as { code: string }));
    // ready() says why: the last problem (here the fetch after the refused bootstrap).
    const timedOut = { code: "FETCH_FAILED", message: `GET ${server.url}/v1/configs/test: The operation was aborted due to timeout` };
    expect(await bad.ready()).toEqual({ ok: false, version: null, source: null, error: timedOut });
    expect(errors.map((e) => e.code)).toEqual(["SIGNATURE_INVALID", "FETCH_FAILED"]);
    expect(bad.evaluate("chat-model", "fallback")).toMatchObject({ value: "fallback", reason: "ERROR" });
  });

  test("a cached config last confirmed longer ago than maxStalenessMs is not used at start", async () => {
    const storage = new MemoryStorage();
    let clock = Date.now();
    await make({ storage, now: () => clock }).ready();
    clock += 2 * 3_600_000;
    const never = () => new Promise<Response>(() => {});
    expect(make({ storage, now: () => clock, fetch: never, maxStalenessMs: 3_600_000 }).evaluate("chat-model", "fallback").reason).toBe("ERROR");
    expect(make({ storage, now: () => clock, fetch: never, maxStalenessMs: 3 * 3_600_000 }).evaluate("chat-model", "fallback").reason).toBe("SPLIT");
  });
});
