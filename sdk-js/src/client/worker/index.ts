/**
 * The client inside a Cloudflare Worker: the same session as in browsers (evaluation, one exposure
 * per flag, allocation, variant and subject, feedback and execution records), reading signed
 * configs from KV (verified as always) and writing events straight to the events Queue, in the
 * message format the Worker's consumer reads, never through an HTTP call back into a Worker.
 *
 * @example
 * import { createWorkerClient, kvConfigSource } from "@edgeflag/sdk/worker";
 * const client = createWorkerClient({ env: "production", keys: jwks, queue: env.EVENTS, source: kvConfigSource(env.FLAGS, "production") });
 * await client.refresh();
 * const a = client.evaluate("chat-model", { model: "gpt-4o-mini" }, { subject: userId });
 * a.record(reply, { latencyMs });
 * ctx.waitUntil(client.flush());
 *
 * @module
 */
import { createClient, type ClientOptions, type EdgeflagClient } from "../client.ts";
import type { ConfigSource } from "../config-source.ts";
import { queueEventSink, type QueueLike } from "./queue-sink.ts";

export { kvConfigSource, type KvLike } from "./kv-source.ts";
export { queueEventSink, type QueueLike } from "./queue-sink.ts";
export * from "./queue-message.ts";

/** The options of {@link createWorkerClient}: the client's, with a source and a Queue for the network. */
export interface WorkerClientOptions extends Omit<ClientOptions, "baseUrl" | "eventsUrl" | "fetch" | "source" | "sink" | "live"> {
  /** Where signed configs come from, e.g. `kvConfigSource(env.FLAGS, "production")`. */
  source: ConfigSource;
  /** The events Queue's producer binding (`env.EVENTS`). */
  queue: QueueLike;
  /** For a `jwksUrl`. Default: the global fetch. */
  fetch?: typeof fetch;
}

/**
 * A client for a Worker. No polling and no timed flushes by default (a Worker runs per request):
 * `await client.refresh()` to take a new version, and hand `client.flush()` to `ctx.waitUntil`.
 * No `live` option: a request that calls refresh() reads KV's pointer then, and a Worker holds no
 * socket between requests, so a push would have nobody to tell.
 *
 * @example
 * const client = createWorkerClient({ env: "production", keys: jwks, queue: env.EVENTS, source });
 * await client.refresh();
 * const model = client.getString("chat-model", "gpt-4o-mini", { subject: userId });
 * ctx.waitUntil(client.flush());
 */
export function createWorkerClient(options: WorkerClientOptions): EdgeflagClient {
  return createClient({ pollIntervalMs: 0, flushIntervalMs: 0, ...options, baseUrl: "", sink: queueEventSink(options.queue, options.now) });
}
