// Live updates under fake timers with a scripted WebSocket global: what a message makes the client
// fetch (only a newer version, never anything else a socket says), the ping every 30 s, the
// jittered reconnection backoff capped at 30 s, close() ending it all, and no WebSocket global at
// all. The real socket, against wrangler dev, is in test/e2e/live-push.test.ts.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { liveUpdates } from "../../src/client/live.ts";
import { httpConfigSource } from "../../src/client/config-source.ts";
import { createClient, type ConfigSource } from "../../src/index.ts";

/** A WebSocket the test drives: it records what was sent and whether it was closed. */
class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  sent: string[] = [];
  closed = false;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.made.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  /** The server says something. */
  say(data: unknown) {
    this.onmessage?.({ data: typeof data === "string" ? data : JSON.stringify(data) });
  }
}

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  FakeSocket.made = [];
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const URL_ = "wss://flags.example.com/v1/configs/test/live";
const last = () => FakeSocket.made.at(-1)!;

describe("liveUpdates", () => {
  test("fetches only a version newer than the one held; pongs, other types, non-numbers and garbage are ignored", () => {
    const fetched: number[] = [];
    const stopLive = liveUpdates(URL_, { held: () => 3, fetch: (v) => fetched.push(v), random: () => 0.5 });
    expect(last().url).toBe(URL_);
    last().onopen!();
    for (const m of ["pong", "not json", { type: "version", version: 3 }, { type: "version", version: 2 }, { type: "version", version: "9" }, { type: "version", version: 4.5 }, { type: "config", version: 9 }, null, { type: "version", env: "test", version: 4 }]) last().say(m);
    expect(fetched).toEqual([4]);
    stopLive();
  });

  test("pings every 30 s once open; close() closes the socket and stops pinging and reconnecting", async () => {
    const stopLive = liveUpdates(URL_, { held: () => 0, fetch: () => {}, random: () => 0.5 });
    const socket = last();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.sent).toEqual([]); // not open yet
    socket.onopen!();
    await vi.advanceTimersByTimeAsync(90_000);
    expect(socket.sent).toEqual(["ping", "ping", "ping"]);
    stopLive();
    expect(socket.closed).toBe(true);
    socket.onclose!();
    await vi.advanceTimersByTimeAsync(600_000);
    expect([socket.sent.length, FakeSocket.made.length]).toEqual([3, 1]);
  });

  test("reconnects after 0.75, 1.5, 3, 6, 12, 22.5, 22.5 s with random() = 0.5 (1 s doubling, capped at 30 s, jittered to [half, all]); an open resets it", async () => {
    liveUpdates(URL_, { held: () => 0, fetch: () => {}, random: () => 0.5 });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.made.length;
      const t = Date.now();
      last().onclose!();
      while (FakeSocket.made.length === before) await vi.advanceTimersByTimeAsync(250);
      waits.push(Date.now() - t);
    }
    expect(waits).toEqual([750, 1500, 3000, 6000, 12_000, 22_500, 22_500]);
    last().onopen!();
    const t = Date.now();
    last().onclose!();
    while (FakeSocket.made.length === 8) await vi.advanceTimersByTimeAsync(250);
    expect(Date.now() - t).toBe(750);
  });

  test("without a WebSocket global it does nothing and throws nothing", async () => {
    vi.stubGlobal("WebSocket", undefined);
    const stopLive = liveUpdates(URL_, { held: () => 0, fetch: () => {}, random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(() => stopLive()).not.toThrow();
  });
});

describe("createClient({ live: true })", () => {
  test("opens ws(s)://<baseUrl>/v1/configs/<env>/live after the first fetch and asks the source for exactly the announced version", async () => {
    const asked: Array<[number | null, number | undefined]> = [];
    const source: ConfigSource = { latest: async (known, told) => (asked.push([known, told]), null) };
    const client = createClient({ baseUrl: "http://127.0.0.1:8787/", env: "pre prod", keys: [], source, live: true, pollIntervalMs: 60_000, flushIntervalMs: 0 });
    await client.ready();
    expect(last().url).toBe("ws://127.0.0.1:8787/v1/configs/pre%20prod/live");
    last().onopen!();
    last().say({ type: "version", env: "pre prod", version: 7 });
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual([[null, undefined], [null, 7]]);
    client.close();
    expect(last().closed).toBe(true);
  });

  test("without live: no socket", async () => {
    const client = createClient({ baseUrl: "https://flags.example.com", env: "test", keys: [], source: { latest: async () => null }, pollIntervalMs: 0, flushIntervalMs: 0 });
    await client.ready();
    expect(FakeSocket.made).toEqual([]);
    client.close();
  });
});

describe("httpConfigSource with an announced version", () => {
  test("reads /versions/<n> without If-None-Match (KV's latest pointer may lag); a poll still revalidates the latest", async () => {
    const asked: Array<[string, string | null]> = [];
    const fetch = (async (url: string, init: RequestInit) => {
      asked.push([url, new Headers(init.headers).get("if-none-match")]);
      return new Response(url.endsWith("/versions/8") ? "jws-8" : null, { status: url.endsWith("/versions/8") ? 200 : 304 });
    }) as typeof globalThis.fetch;
    const source = httpConfigSource({ url: "https://flags.example.com/v1/configs/test", fetch, timeoutMs: 1000 });
    expect(await source.latest(7, 8)).toBe("jws-8");
    expect(await source.latest(7)).toBeNull();
    expect(asked).toEqual([["https://flags.example.com/v1/configs/test/versions/8", null], ["https://flags.example.com/v1/configs/test", '"7"']]);
  });
});
