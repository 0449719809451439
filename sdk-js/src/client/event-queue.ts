/**
 * The event queue: batched by size and time, handed to an EventSink (by default HTTP: fetch with
 * keepalive or, when the page is hidden, sendBeacon); retried with exponential backoff and full
 * jitter (clock and randomness from the platform, so tests use fake timers); kept in bounded
 * storage (localStorage in browsers, memory elsewhere) until the sink took it. Delivery is at
 * least once, counting exactly once: the server counts each event once by its `id`, so an event
 * handed to sendBeacon (which cannot report whether the server took it) stays stored and is sent
 * again by the next page load. Events in a keepalive fetch on its way when the page goes are not
 * beaconed: that fetch outlives the page.
 *
 * @module
 */
import type { EdgeflagEvent } from "./events.ts";
import type { ClientError } from "./errors.ts";
import type { EventSink } from "./event-sink.ts";
import type { PageHooks } from "./page.ts";
import { later, stop, type Platform, type Timer } from "./platform.ts";
import { safeEvent } from "./safe-event.ts";

export interface EventQueue {
  push(event: EdgeflagEvent): void;
  /**
   * Sends everything pending now, even during a backoff (an explicit flush is a request to try);
   * resolves when done or deferred to a retry. Never rejects. In a Worker, pass it to waitUntil.
   */
  flush(): Promise<void>;
  close(): void;
}

/** What the queue reads of the client's options. */
export interface QueueOptions {
  /** Default 20. */
  batchSize?: number;
  /** Sends what is pending this long after the first event; 0: only by size or flush(). Default 5 s. */
  flushIntervalMs?: number;
  /** Most events kept while they cannot be sent; the oldest go first, with an error event. Default 1000. */
  maxQueuedEvents?: number;
}

/** The backoff's cap: the n-th failure in a row waits a random time below min(60 s, 2^(n-1) s). */
const MAX_DELAY_MS = 60_000;

export function eventQueue(o: QueueOptions, sink: EventSink, p: Platform): EventQueue {
  const { storage, now } = p;
  const key = `${p.prefix}:events`;
  const batchSize = o.batchSize ?? 20;
  const interval = o.flushIntervalMs ?? 5000;
  const max = o.maxQueuedEvents ?? 1000;
  const page = (sink as { page?: PageHooks | null }).page;
  const report = (e: ClientError) => p.emit("error", e);
  /** What storage holds for this queue (this tab's, other tabs', beaconed), well-formed only. */
  const stored = (): EdgeflagEvent[] => {
    const saved = storage.getJson<EdgeflagEvent[]>(key);
    return Array.isArray(saved) ? saved.filter((e) => e && typeof e.id === "string") : [];
  };
  let pending = stored();
  /** Ids handed to the network before (stored ones may have been beaconed): their batch says so. */
  const tried = new Set(pending.map((e) => e.id));
  let timer: Timer | undefined;
  let retryAt = 0;
  /** The batch size now: batchSize, halved each time the server answers 413 (and kept so). */
  let limit = batchSize;
  let failures = 0;
  let sending: Promise<void> | null = null;
  let persistQueued = false;
  /** Ids the server took (or refused for good): dropped from storage even if another tab wrote them back. */
  const done = new Set<string>();

  /**
   * Stores this queue's events merged with what other tabs (or beacons) left in the same key, so
   * two tabs never overwrite each other's queue.
   */
  const persist = () => {
    const mine = new Set(pending.map((e) => e.id));
    const all = [...stored().filter((e) => !mine.has(e.id) && !done.has(e.id)), ...pending].slice(-max);
    if (all.length === 0) return storage.remove(key);
    // A full store keeps the newest half rather than nothing.
    if (!storage.set(key, JSON.stringify(all))) storage.set(key, JSON.stringify(all.slice(-Math.ceil(all.length / 2))));
  };
  const cancel = () => {
    stop(timer);
    timer = undefined;
  };
  const schedule = (ms: number) => {
    cancel();
    timer = later(() => {
      timer = undefined;
      void run(false);
    }, ms);
  };
  const run = (force: boolean): Promise<void> => {
    if (force) retryAt = 0;
    return (sending ??= drain().finally(() => {
      sending = null;
    }));
  };

  async function drain(): Promise<void> {
    cancel();
    while (pending.length > 0) {
      if (now() < retryAt) return schedule(retryAt - now());
      const batch = pending.slice(0, limit);
      const resent = batch.some((e) => tried.has(e.id));
      for (const e of batch) tried.add(e.id);
      const sent = await sink.send(batch, resent, report).catch(() => 0);
      // Too large for the server (413): halve the batch; one event alone that is too large is dropped.
      if (sent === "too-large" && batch.length > 1) {
        limit = Math.ceil(batch.length / 2);
        continue;
      }
      if (sent === "too-large") report({ code: "EVENTS_DROPPED", message: "1 events dropped: too large for the server (413)" });
      else if (sent !== "sent") {
        failures++;
        const cap = Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - 1));
        retryAt = now() + Math.max(sent, Math.floor(p.random() * cap));
        return schedule(retryAt - now());
      }
      failures = 0;
      const ids = new Set(batch.map((e) => e.id));
      for (const id of ids) done.add(id), tried.delete(id);
      while (done.size > max * 2) done.delete(done.values().next().value!);
      pending = pending.filter((e) => !ids.has(e.id));
      persist();
    }
  }

  /** The page is going away: hand what is pending to sendBeacon, batch by batch. */
  const detach = page?.onHidden(() => {
    if (!page.online()) return;
    // Beaconed events leave the in-memory queue but stay in storage (see the module comment).
    persist();
    const rest = pending.filter((e) => !page.flying(e.id));
    for (let batch; (batch = rest.slice(0, limit)).length > 0 && page.beacon(batch); ) rest.splice(0, batch.length);
    pending = pending.filter((e) => page.flying(e.id) || rest.includes(e));
  });
  if (pending.length > 0) schedule(0);

  return {
    push(event) {
      // Made JSON-safe here, at the call: nothing later (storage, a microtask, a sink) can throw on it.
      const safe = safeEvent(event, (message) => report({ code: "EVENT_SANITIZED", message }));
      if (!safe) return;
      pending.push(safe);
      const over = pending.length - max;
      if (over > 0) {
        pending.splice(0, over);
        report({ code: "EVENTS_DROPPED", message: `${over} events dropped: the queue is full (maxQueuedEvents)` });
      }
      // Written once per burst of pushes (a microtask later), not once per event.
      if (!persistQueued) {
        persistQueued = true;
        queueMicrotask(() => {
          persistQueued = false;
          persist();
        });
      }
      if (pending.length >= batchSize) void run(false);
      else if (interval > 0 && timer === undefined) schedule(interval);
    },
    // A send already under way may end in a backoff: wait for it, then try once more at once.
    flush: () => Promise.resolve(sending).then(() => run(true)),
    close() {
      cancel();
      detach?.();
    },
  };
}
