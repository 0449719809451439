// Retry backoff and poll jitter under fake timers: the clock and the randomness are the client's
// options (`now`, `random`), so every delay is exact. Full jitter: the n-th failure in a row waits
// floor(random() * min(60 s, 2^(n-1) s)), or the server's Retry-After when that is longer.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createClient, type ConfigSource, type EdgeflagClient, type EventSink, type SendResult } from "../../src/index.ts";

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const clients: EdgeflagClient[] = [];
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  vi.useRealTimers();
});

/** A sink that answers with `results` in turn ("sent" once they run out) and notes when and how it was called. */
function scripted(results: SendResult[]) {
  const calls: Array<{ at: number; resent: boolean; count: number }> = [];
  const sink: EventSink = {
    async send(batch, resent) {
      calls.push({ at: Date.now() - T0, resent, count: batch.length });
      return results.shift() ?? "sent";
    },
  };
  return { sink, calls };
}

const nothing: ConfigSource = { latest: async () => null };
function make(sink: EventSink, random: number, extra: Partial<Parameters<typeof createClient>[0]> = {}) {
  const client = createClient({ baseUrl: "https://flags.example.com", env: "test", keys: [], subject: "user-1", source: nothing, sink, batchSize: 1, flushIntervalMs: 0, pollIntervalMs: 0, now: () => Date.now(), random: () => random, ...extra });
  clients.push(client);
  return client;
}

describe("backoff (fake timers)", () => {
  test("four failures wait 0.5, 1, 2 and 4 s with random() = 0.5; the retries are marked resent", async () => {
    const { sink, calls } = scripted([0, 0, 0, 0]);
    make(sink, 0.5).track("copied");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.at)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1); // not one millisecond early
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.at)).toEqual([0, 500]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([
      { at: 0, resent: false, count: 1 },
      { at: 500, resent: true, count: 1 },
      { at: 1500, resent: true, count: 1 },
      { at: 3500, resent: true, count: 1 },
      { at: 7500, resent: true, count: 1 },
    ]);
  });

  test("the cap is 60 s: with random() = 0.999 the waits are 999, 1998, 3996, … then 59,940 ms", async () => {
    const { sink, calls } = scripted([0, 0, 0, 0, 0, 0, 0, 0]);
    make(sink, 0.999).track("copied");
    await vi.advanceTimersByTimeAsync(300_000);
    const waits = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(waits).toEqual([999, 1998, 3996, 7992, 15_984, 31_968, 59_940, 59_940]);
  });

  test("random() = 0 retries at once; a success resets the count", async () => {
    const { sink, calls } = scripted([0, 0, "sent", 0]);
    const client = make(sink, 0);
    client.track("a");
    await vi.runAllTimersAsync();
    expect(calls.map((c) => c.at)).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1000);
    client.track("b");
    await vi.runAllTimersAsync();
    expect(calls.map((c) => [c.at, c.resent])).toEqual([[0, false], [0, true], [0, true], [1000, false], [1000, true]]);
  });

  test("a Retry-After longer than the jitter wins: 5 s, then the backoff's own 1 s", async () => {
    const { sink, calls } = scripted([5000, 0]);
    make(sink, 0.5).track("copied");
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.map((c) => c.at)).toEqual([0, 5000, 6000]);
  });

  test("an explicit flush() during a backoff tries at once", async () => {
    const { sink, calls } = scripted([0]);
    const client = make(sink, 0.5);
    client.track("copied");
    await vi.advanceTimersByTimeAsync(100);
    await client.flush();
    expect(calls.map((c) => c.at)).toEqual([0, 100]);
  });

  test("polls are jittered by ±10 %: every 54 s with random() = 0, every 66 s with random() → 1", async () => {
    for (const [random, every] of [[0, 54_000], [0.999_999, 65_999]] as const) {
      const polls: number[] = [];
      const start = Date.now();
      const client = make(scripted([]).sink, random, { source: { latest: async () => (polls.push(Date.now() - start), null) }, pollIntervalMs: 60_000 });
      await vi.advanceTimersByTimeAsync(0);
      await vi.advanceTimersByTimeAsync(every * 3);
      expect(polls.map((t) => Math.floor(t))).toEqual([0, every, 2 * every, 3 * every]);
      client.close();
    }
  });
});
