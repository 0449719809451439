/**
 * Where batches of events go: the `EventSink` port. Over HTTP to the Worker's `/v1/events` (the
 * default: text/plain JSON, so no CORS preflight; keepalive; sendBeacon when the page goes), to
 * the events Queue inside a Worker (`queueEventSink` in `@edgeflag/sdk/worker`), or into an
 * array in tests. Batching, storage, retries and backoff stay in the client's queue.
 *
 * @module
 */
import type { ClientError } from "./errors.ts";
import type { EdgeflagEvent } from "./events.ts";
import { pageHooks, TEXT_PLAIN, type PageHooks } from "./page.ts";
import { fetchWithin, type Net } from "./platform.ts";
import { utf8Length } from "../core/values.ts";

/**
 * What a sink made of a batch: "sent" (taken, or refused for good: never sent again), "too-large"
 * (the queue halves the batch; one event alone is dropped), or a number: send it again later,
 * after at least that many ms (0: the backoff alone decides).
 */
export type SendResult = "sent" | "too-large" | number;

/**
 * A destination for batches of events.
 *
 * @example
 * const events: EdgeflagEvent[] = [];
 * const sink: EventSink = { send: async (batch) => (events.push(...batch), "sent") };
 */
export interface EventSink {
  /**
   * Sends one batch; `resent` when some of its events were handed to a sink before; `report`
   * emits the client's `error` event (events refused, the endpoint misconfigured). Never rejects.
   */
  send(batch: EdgeflagEvent[], resent: boolean, report: (error: ClientError) => void): Promise<SendResult>;
}

/** keepalive bodies are capped in bytes (64 KiB in browsers), not in UTF-16 units. */
const KEEPALIVE_LIMIT = 60_000;

/**
 * POST `url` with a text/plain JSON array: keepalive when it is small enough (it outlives the
 * page), `?resent=1` for a batch sent before. 400 and 422 name the events refused for good.
 *
 * @example
 * const sink = httpEventSink({ url: "https://flags.example.com/v1/events", fetch, timeoutMs: 10_000 });
 */
export function httpEventSink(o: Net & { url: string }): EventSink & { page: PageHooks | null } {
  const { url } = o;
  /** Ids in a keepalive fetch on its way. */
  let flying = new Set<string>();
  return {
    async send(batch, resent, report) {
      const body = JSON.stringify(batch);
      const small = utf8Length(body) < KEEPALIVE_LIMIT;
      const to = resent ? `${url}${url.includes("?") ? "&" : "?"}resent=1` : url;
      const post = (keepalive: boolean) => fetchWithin(o, to, { method: "POST", headers: { "content-type": TEXT_PLAIN }, body, keepalive } as RequestInit);
      if (small) flying = new Set(batch.map((e) => e.id));
      try {
        const res = await post(small).catch((e: unknown) => (small && e instanceof TypeError ? post(false) : Promise.reject(e)));
        const { status } = res;
        // 400 and 422 name the events they refused for good; anything else may pass later.
        if (res.ok || status === 400 || status === 422) return "sent";
        if (status === 413) return "too-large";
        if (status < 500 && status !== 408 && status !== 429) report({ code: "EVENTS_REJECTED", message: `the events endpoint answered ${status}; kept for a retry` });
        return Number(res.headers.get("retry-after")) * 1000 || 0;
      } catch {
        return 0; // a network error or a timeout: retried
      } finally {
        flying = new Set();
      }
    },
    // Not part of EventSink: the queue's hold on the page, whose member names the script tag shortens.
    page: pageHooks(url, (id) => flying.has(id)),
  };
}
