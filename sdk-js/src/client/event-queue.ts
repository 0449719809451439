/**
 * The event queue: batched by size and time, sent with fetch (keepalive) or, when the page is
 * hidden, sendBeacon; retried with exponential backoff and full jitter; kept in bounded storage
 * (localStorage in browsers, memory elsewhere) until the server took it. Bodies are text/plain
 * JSON, so no CORS preflight. The server counts each event once by its `id`.
 *
 * @module
 */
import type { EdgeflagEvent } from "./events.ts";
import type { PageHooks } from "./page.ts";
import type { SafeStorage } from "./storage.ts";

export interface EventQueueOptions {
  url: string;
  fetch: typeof fetch;
  storage: SafeStorage;
  storageKey: string;
  batchSize: number;
  flushIntervalMs: number;
  /** Most events kept while they cannot be sent; the oldest go first. */
  maxQueued: number;
  page: PageHooks | null;
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
  #failures = 0;
  #sending: Promise<void> | null = null;
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
    if (this.#pending.length > this.#o.maxQueued) this.#pending.splice(0, this.#pending.length - this.#o.maxQueued);
    this.#persist();
    if (this.#pending.length >= this.#o.batchSize) void this.flush();
    else this.#schedule(this.#o.flushIntervalMs);
  }

  /** Sends everything pending now; resolves when done or deferred to a retry. Never rejects. */
  flush(): Promise<void> {
    this.#sending ??= this.#drain().finally(() => {
      this.#sending = null;
    });
    return this.#sending;
  }

  /** The page is going away: hand what is pending to sendBeacon, batch by batch. */
  flushOnHide(): void {
    const page = this.#o.page;
    if (!page || !page.online()) return;
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, this.#o.batchSize);
      if (!page.sendBeacon(this.#o.url, JSON.stringify(batch))) break;
      this.#pending.splice(0, batch.length);
    }
    this.#persist();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#detach();
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      if (Date.now() < this.#retryAt) return this.#schedule(this.#retryAt - Date.now());
      const batch = this.#pending.slice(0, this.#o.batchSize);
      const outcome = await this.#send(batch);
      if (outcome === "retry") {
        this.#failures++;
        const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (this.#failures - 1));
        this.#retryAt = Date.now() + Math.max(this.#retryAfterMs, Math.floor((this.#o.random ?? Math.random)() * cap));
        this.#retryAfterMs = 0;
        return this.#schedule(this.#retryAt - Date.now());
      }
      this.#failures = 0;
      const sent = new Set(batch.map((e) => e.id));
      this.#pending = this.#pending.filter((e) => !sent.has(e.id));
      this.#persist();
    }
  }

  #retryAfterMs = 0;

  /** "done" when the server took the batch (or refused it for good), "retry" otherwise. */
  async #send(batch: EdgeflagEvent[]): Promise<"done" | "retry"> {
    const body = JSON.stringify(batch);
    try {
      const res = await this.#o.fetch(this.#o.url, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8" },
        body,
        keepalive: body.length < KEEPALIVE_LIMIT,
      });
      if (res.ok) return "done";
      if (res.status === 408 || res.status === 429 || res.status >= 500) {
        this.#retryAfterMs = Number(res.headers.get("retry-after") ?? 0) * 1000 || 0;
        return "retry";
      }
      return "done"; // 4xx: the server named what it rejected; sending it again cannot help
    } catch {
      return "retry";
    }
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), Math.max(0, ms));
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #persist(): void {
    const s = this.#o.storage;
    if (this.#pending.length === 0) return s.remove(this.#o.storageKey);
    // A full store keeps the newest half rather than nothing.
    if (!s.set(this.#o.storageKey, JSON.stringify(this.#pending))) s.set(this.#o.storageKey, JSON.stringify(this.#pending.slice(-Math.ceil(this.#pending.length / 2))));
  }
}
