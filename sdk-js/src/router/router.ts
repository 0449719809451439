/**
 * `createRouter`: the OpenAI-compatible model router, for the built-in Worker endpoint and for
 * users' own Workers alike. It builds on the SDK's Worker shell (`createWorkerClient` over KV and
 * the events Queue), so its exposures are the client's (deduplicated, straight to the Queue) and
 * its execution records take the client's one event path.
 *
 * @module
 */
import { createWorkerClient, kvConfigSource, type KvLike, type QueueLike, type WorkerClientOptions } from "../client/worker/index.ts";
import { chat, type ChatHost } from "./chat.ts";
import { errorResponseOf, openAIError, RouterError } from "./errors.ts";
import { modelList } from "./models.ts";
import type { RequestLimits } from "./request.ts";

/** The router's limits; each has a default. */
export interface RouterLimits extends RequestLimits {
  /** Fallbacks tried after the assigned variant. Default 3. */
  maxFallbacks: number;
}

/** Defaults: a 1 MiB body, 1000 messages, 64 levels of JSON, 3 fallbacks. */
export const DEFAULT_LIMITS: RouterLimits = { maxBodyBytes: 1 << 20, maxMessages: 1000, maxDepth: 64, maxFallbacks: 3 };

/** The options of {@link createRouter}. */
export interface RouterOptions {
  /** The env whose signed config routes the calls. */
  env: string;
  /** Which signing keys to trust, as for the Worker client (`keys`, `rootKey` + `keySetUrl`, or `jwksUrl`). */
  trust: Pick<WorkerClientOptions, "keys" | "rootKey" | "keySetUrl" | "jwksUrl">;
  /** The KV namespace the configs are published to (`env.FLAGS`). */
  kv: KvLike;
  /** The events Queue (`env.EVENTS`). */
  queue: QueueLike;
  /** A secret's value by name (the upstream keys), or undefined. */
  secret(name: string): string | undefined;
  /** Secret name → the origins it may be sent to (the Worker's ROUTER_UPSTREAMS). */
  upstreams: Readonly<Record<string, readonly string[]>>;
  /** Runs first on every request: a Response refuses it (e.g. a 401), null lets it through. */
  authorize?(request: Request): Response | null | Promise<Response | null>;
  /** Runs once a chat request is read, before it is evaluated (e.g. a per-subject rate limit): a Response refuses it. */
  admit?(call: { subject: string; flag: string }): Response | null | Promise<Response | null>;
  /** For the upstream calls (and a `jwksUrl`). Default: the global fetch. */
  fetch?: typeof fetch;
  /** The clock. Default Date.now. */
  now?: () => number;
  /** In [0, 1): the shadow draw. Default Math.random. */
  random?: () => number;
  limits?: Partial<RouterLimits>;
  /** How often the config's latest version is read again, at most: one KV read per this many ms. Default 1000; 0 reads it on every call. */
  refreshEveryMs?: number;
}

/** What hands work to the runtime after the response (a Worker's ExecutionContext). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** A router: one fetch handler. */
export interface Router {
  fetch(request: Request, ctx?: WaitUntil): Promise<Response>;
}

type WorkerClient = ReturnType<typeof createWorkerClient>;

/** The router's one client, made lazily, and where its reads stand. */
interface Lazy {
  client?: WorkerClient;
  /** The client's first read; `settled` once it is over. */
  first?: Promise<unknown>;
  settled?: boolean;
  refreshedAt?: number;
}

/**
 * The client, made by the first request that needs a config (never at createRouter: a Worker's
 * I/O belongs to the request that started it, and a client's first read started by a request
 * that answered early, a 401 say, would never settle for the next ones), then its config
 * refreshed; 503 when no verified config is in hand. Requests that come while the first read is
 * in flight wait for it (a refresh of their own raced it and answered 503 with no config yet).
 */
/** How long a call waits for another call's first config load before it reads the config itself. */
const FIRST_LOAD_WAIT_MS = 5000;

async function fresh(lazy: Lazy, make: () => WorkerClient, env: string, now: number, everyMs: number): Promise<WorkerClient> {
  if (lazy.client === undefined) {
    lazy.client = make();
    lazy.refreshedAt = now;
    lazy.first = lazy.client.ready().finally(() => (lazy.settled = true));
  }
  const client = lazy.client;
  if (!lazy.settled) {
    // The first load runs in the request that started it. Should that request go away (a client
    // hanging up cancels its I/O), the load may never settle here: wait for it at most
    // FIRST_LOAD_WAIT_MS, then read the config in this request.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = await Promise.race([lazy.first!.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), FIRST_LOAD_WAIT_MS)))]);
    if (timer !== undefined) clearTimeout(timer);
    if (gaveUp) await client.refresh();
  } else if (now - (lazy.refreshedAt ?? -Infinity) >= everyMs) {
    // One small KV read (the latest pointer) per refreshEveryMs, not per call: KV itself takes up
    // to a minute to carry a new version everywhere, so reading it on every call buys nothing.
    lazy.refreshedAt = now;
    await client.refresh();
  }
  if (client.config === null) throw new RouterError(503, { message: `no verified config for env ${env} yet`, type: "api_error", param: null, code: "config_unavailable" });
  return client;
}

/**
 * Makes a router. It answers `POST …/chat/completions` and `GET …/models` (any prefix, so
 * `baseURL` can be `https://host/v1`), anything else with an OpenAI-shaped 404 or 405. No CORS:
 * it serves servers, and its key must never reach a browser.
 *
 * @example
 * const router = createRouter({ env: "production", trust: { keys: jwks }, kv: env.FLAGS, queue: env.EVENTS, secret: (n) => env[n], upstreams: { OPENAI_API_KEY: ["https://api.openai.com"] } });
 * export default { fetch: (request, env, ctx) => router.fetch(request, ctx) };
 */
export function createRouter(options: RouterOptions): Router {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const make = () => createWorkerClient({ env: options.env, ...options.trust, queue: options.queue, source: kvConfigSource(options.kv, options.env), fetch: doFetch, now });
  const lazy: Lazy = {};
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const host = (client: WorkerClient, ctx: WaitUntil | undefined): ChatHost => ({
    env: options.env,
    client,
    call: { fetch: doFetch, secret: options.secret, allowedOrigins: (name) => (Object.hasOwn(options.upstreams, name) ? options.upstreams[name]! : []), now },
    upstreams: options.upstreams,
    limits,
    admit: options.admit,
    random: options.random ?? Math.random,
    later: (work) => (ctx ? ctx.waitUntil(work) : void work.catch(() => undefined)),
  });
  return {
    async fetch(request, ctx) {
      try {
        const refused = await options.authorize?.(request);
        if (refused) return refused;
        const { pathname } = new URL(request.url);
        const route = pathname.endsWith("/chat/completions") ? "POST" : pathname.endsWith("/models") ? "GET" : null;
        if (route === null) return openAIError(404, { message: `no route for ${request.method} ${pathname}`, type: "invalid_request_error", param: null, code: "unknown_url" });
        if (request.method !== route && !(route === "GET" && request.method === "HEAD")) {
          return openAIError(405, { message: `${pathname} answers ${route}`, type: "invalid_request_error", param: null, code: "method_not_allowed" }, { Allow: route });
        }
        const client = await fresh(lazy, make, options.env, now(), options.refreshEveryMs ?? 1000);
        if (route === "GET") return new Response(JSON.stringify(modelList(client.config!)), { headers: { "Content-Type": "application/json; charset=utf-8" } });
        return await chat(host(client, ctx), request);
      } catch (e) {
        return errorResponseOf(e);
      }
    },
  };
}
