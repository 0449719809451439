/**
 * The event queue: batched by size and time, sent with fetch (keepalive) or, when the page is
 * hidden, sendBeacon; retried with exponential backoff and full jitter; kept in bounded storage
 * (localStorage in browsers, memory elsewhere) until the server took it. Bodies are text/plain
 * JSON, so no CORS preflight. Delivery is at least once, counting exactly once: the server counts
 * each event once by its `id`, so an event handed to sendBeacon (which cannot report whether the
 * server took it) stays stored and is sent again by the next page load.
 *
 * @module
 */
import type { EdgeflagEvent } from "./events.ts";
import type { PageHooks } from "./page.ts";
import type { SafeStorage } from "./storage.ts";
import { fetchWithin } from "./timeout.ts";

export interface EventQueueOptions {
  url: string;
  fetch: typeof fetch;
  storage: SafeStorage;
  storageKey: string;
  batchSize: number;
  /** Sends what is pending this long after the first event; 0: only by size or flush(). */
  flushIntervalMs: number;
  /** Most events kept while they cannot be sent; the oldest go first, reported to onDrop. */
  maxQueued: number;
  /** Per request, in ms. */
  timeoutMs: number;
  page: PageHooks | null;
  onDrop?: (count: number) => void;
  /** The server refused a batch with a status that may pass later (401, 403, 404…): kept, retried. */
  onRejected?: (status: number) => void;
  random?: () => number;
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
const KEEPALIVE_LIMIT = 60_000;

export class EventQueue {
  readonly #o: EventQueueOptions;
  #pending: EdgeflagEvent[];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryAt = 0;
  #retryAfterMs = 0;
  #failures = 0;
  #sending: Promise<void> | null = null;
  #persistQueued = false;
  /** Ids the server took (or refused for good): dropped from storage even if another tab wrote them back. */
  readonly #done = new Set<string>();
  readonly #detach: () => void;

  constructor(options: EventQueueOptions) {
    this.#o = options;
    const saved = options.storage.getJson<EdgeflagEvent[]>(options.storageKey);
    this.#pending = Array.isArray(saved) ? saved.filter((e) => e && typeof e.id === "string") : [];
    this.#detach = options.page?.onHidden(() => this.flushOnHide()) ?? (() => {});
    if (this.#pending.length > 0) this.#schedule(0);
  }

  get size(): number {
    return this.#pending.length;
  }

  push(event: EdgeflagEvent): void {
    this.#pending.push(event);
    const over = this.#pending.length - this.#o.maxQueued;
    if (over > 0) {
      this.#pending.splice(0, over);
      this.#o.onDrop?.(over);
    }
    this.#persistSoon();
    if (this.#pending.length >= this.#o.batchSize) void this.#flush(false);
    else if (this.#o.flushIntervalMs > 0 && this.#timer === undefined) this.#schedule(this.#o.flushIntervalMs);
  }

  /**
   * Sends everything pending now, even during a backoff (an explicit flush is a request to try);
   * resolves when done or deferred to a retry. Never rejects. In a Worker, pass it to waitUntil.
   */
  flush(): Promise<void> {
    // A send already under way may end in a backoff: wait for it, then try once more at once.
    return (this.#sending ?? Promise.resolve()).then(() => this.#flush(true));
  }

  #flush(force: boolean): Promise<void> {
    if (force) this.#retryAt = 0;
    this.#sending ??= this.#drain().finally(() => {
      this.#sending = null;
    });
    return this.#sending;
  }

  /** The page is going away: hand what is pending to sendBeacon, batch by batch. */
  flushOnHide(): void {
    const page = this.#o.page;
    if (!page || !page.online()) return;
    // Beaconed events leave the in-memory queue but stay in storage (see the module comment).
    this.#persist();
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, this.#o.batchSize);
      if (!page.sendBeacon(this.#o.url, JSON.stringify(batch))) break;
      this.#pending.splice(0, batch.length);
    }
  }

  close(): void {
    this.#cancel();
    this.#detach();
  }

  async #drain(): Promise<void> {
    this.#cancel();
    while (this.#pending.length > 0) {
      if (Date.now() < this.#retryAt) return this.#schedule(this.#retryAt - Date.now());
      const batch = this.#pending.slice(0, this.#o.batchSize);
      if ((await this.#send(batch)) === "retry") {
        this.#failures++;
        const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (this.#failures - 1));
        this.#retryAt = Date.now() + Math.max(this.#retryAfterMs, Math.floor((this.#o.random ?? Math.random)() * cap));
        this.#retryAfterMs = 0;
        return this.#schedule(this.#retryAt - Date.now());
      }
      this.#failures = 0;
      const sent = new Set(batch.map((e) => e.id));
      for (const id of sent) this.#done.add(id);
      while (this.#done.size > this.#o.maxQueued * 2) this.#done.delete(this.#done.values().next().value!);
      this.#pending = this.#pending.filter((e) => !sent.has(e.id));
      this.#persist();
    }
  }

  /** "done" when the server took the batch (or refused it for good), "retry" otherwise. */
  async #send(batch: EdgeflagEvent[]): Promise<"done" | "retry"> {
    const body = JSON.stringify(batch);
    // keepalive bodies are capped in bytes (64 KiB in browsers), not in UTF-16 units.
    const small = new TextEncoder().encode(body).length < KEEPALIVE_LIMIT;
    const post = (keepalive: boolean) =>
      fetchWithin(this.#o.fetch, this.#o.timeoutMs, this.#o.url, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body, keepalive } as RequestInit);
    try {
      const res = await post(small).catch((e: unknown) => (small && e instanceof TypeError ? post(false) : Promise.reject(e)));
      if (res.ok) return "done";
      // 400 and 422 name the events they refused for good; anything else may pass later.
      if (res.status === 400 || res.status === 422) return "done";
      if (res.status < 500 && res.status !== 408 && res.status !== 429) {
        this.#o.onRejected?.(res.status);
      }
      this.#retryAfterMs = Number(res.headers.get("retry-after") ?? 0) * 1000 || 0;
      return "retry";
    } catch {
      return "retry";
    }
  }

  #schedule(ms: number): void {
    this.#cancel();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush(false);
    }, Math.max(0, ms));
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Writes once per burst of pushes (a microtask later), not once per event. */
  #persistSoon(): void {
    if (this.#persistQueued) return;
    this.#persistQueued = true;
    queueMicrotask(() => {
      this.#persistQueued = false;
      this.#persist();
    });
  }

  /**
   * Stores this queue's events merged with what other tabs (or beacons) left in the same key, so
   * two tabs never overwrite each other's queue.
   */
  #persist(): void {
    const s = this.#o.storage;
    const mine = new Set(this.#pending.map((e) => e.id));
    const stored = s.getJson<EdgeflagEvent[]>(this.#o.storageKey);
    const others = (Array.isArray(stored) ? stored : []).filter((e) => e && typeof e.id === "string" && !mine.has(e.id) && !this.#done.has(e.id));
    const all = [...others, ...this.#pending].slice(-this.#o.maxQueued);
    if (all.length === 0) return s.remove(this.#o.storageKey);
    // A full store keeps the newest half rather than nothing.
    if (!s.set(this.#o.storageKey, JSON.stringify(all))) s.set(this.#o.storageKey, JSON.stringify(all.slice(-Math.ceil(all.length / 2))));
  }
}
