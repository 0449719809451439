/**
 * The edgeflag client: verified config, synchronous local evaluation, exposures, feedback and
 * LLM execution records. It never throws into the host application: a missing or bad config, a
 * network error, a broken storage or an invalid key gives the caller's default and a reason.
 * It talks to the world through two ports, a ConfigSource and an EventSink: over HTTP to the
 * Worker by default; the Worker shell (`@edgeflag/sdk/worker`) runs this same session on KV and
 * the events Queue.
 *
 * @module
 */
import { evaluate as evaluateCore, type CompiledConfig, type EvaluationResult } from "../core/index.ts";
import { callerDefault } from "../core/evaluate.ts";
import { isObject, messageOf } from "../core/values.ts";
import { custom, makeAssignment, type Assignment, type Emit } from "./assignment.ts";
import { httpConfigSource } from "./config-source.ts";
import { configState } from "./config-state.ts";
import type { ClientError, ClientErrorCode } from "./errors.ts";
import { eventQueue } from "./event-queue.ts";
import { liveUpdates } from "./live.ts";
import { httpEventSink } from "./event-sink.ts";
import { uuid, type EdgeflagEvent, type EventDraft, type ExposureEvent } from "./events.ts";
import { later, stop, type Platform, type Timer } from "./platform.ts";
import { browserStorage, MemoryStorage, safeStorage, type SafeStorage } from "./storage.ts";
import type { ClientOptions, EdgeflagClient, EvaluateContext, ReadyState } from "./types.ts";

export type { ClientOptions, ConfigUpdate, EdgeflagClient, EvaluateContext, ReadyState } from "./types.ts";

type Listener = (detail: never) => void;
const EXPOSURE_CACHE = 1000;
/** What evaluations see before any config is in hand: the caller's default, with this reason. */
const NO_CONFIG: CompiledConfig = { flags: new Map(), error: "no verified config yet" };

/** Storage keys name the env and the server, so two servers with one env name never mix. */
function storagePrefix(baseUrl: string, env: string): string {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // a relative or odd base URL: keep it as written
  }
  return `edgeflag:${env}@${host}`;
}

function anonymousId(storage: SafeStorage): string {
  const key = "edgeflag:anonymous-id";
  const existing = storage.get(key);
  if (existing) return existing;
  const id = `anon-${uuid()}`;
  storage.set(key, id);
  return id;
}

/**
 * Creates a client. Evaluation is synchronous from the first call (a cached or bootstrap config
 * is used at once); `await client.ready()` when you need a verified config.
 *
 * @example
 * const client = createClient({ baseUrl: "https://flags.example.com", env: "production", keys: jwks });
 * await client.ready();
 * const model = client.getJSON("chat-model", { model: "gpt-4o-mini" });
 */
export function createClient(options: ClientOptions): EdgeflagClient {
  const { now = Date.now, random = Math.random } = options;
  const storage = safeStorage(options.storage ?? browserStorage() ?? new MemoryStorage());
  const listeners = new Map<string, Set<Listener>>();
  /** assignmentId by (flag, allocation, variant, subject), least recently used first. */
  const exposures = new Map<string, string>();
  const last = new Map<string, Assignment>();
  /** Exposures of evaluations made on a config not yet verified: logged once it verifies, dropped if it does not. */
  const held: Array<{ jws: string; event: ExposureEvent; key: string }> = [];
  let subject = options.subject ?? anonymousId(storage);
  let attributes = { ...options.attributes };
  let poll: Timer | undefined;
  let stopLive: (() => void) | undefined;
  let closed = false;
  /** What ready() says when it is not ok: the last problem before it resolved. */
  let problem: ClientError | undefined;

  const emit = (type: string, detail: unknown) => {
    if (type === "error") problem = detail as ClientError;
    for (const listener of listeners.get(type) ?? []) {
      try {
        listener(detail as never);
      } catch {
        // a throwing listener must not break the client or the other listeners
      }
    }
  };
  const error = (code: ClientErrorCode, message: string) => emit("error", { code, message });
  const platform: Platform = {
    fetch: options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a)),
    storage,
    prefix: storagePrefix(options.baseUrl, options.env),
    timeoutMs: options.timeoutMs ?? 10_000,
    now,
    random,
    emit,
    /**
     * A config verified (or the unverified one was refused, `null`): exposures made on exactly
     * that signed config at first paint count; the others are dropped and will be logged afresh.
     */
    settled(verifiedJws) {
      for (const h of held.splice(0)) {
        if (h.jws === verifiedJws) deliver(h.event);
        else exposures.delete(h.key);
      }
    },
  };
  const base = options.baseUrl.replace(/\/+$/, "");
  const state = configState(options, options.source ?? httpConfigSource({ ...platform, url: `${base}/v1/configs/${encodeURIComponent(options.env)}` }), platform);
  const queue = eventQueue(options, options.sink ?? httpEventSink({ ...platform, url: options.eventsUrl ?? `${base}/v1/events` }), platform);
  const stamp = (draft: EventDraft) => ({ id: uuid(), env: options.env, ts: now(), ...draft }) as EdgeflagEvent;
  const deliver = (event: ExposureEvent) => {
    queue.push(event);
    try {
      options.onExposure?.(event);
    } catch (e) {
      error("ON_EXPOSURE_THREW", messageOf(e));
    }
  };
  const emitEvent: Emit = (draft) => {
    try {
      queue.push(stamp(draft));
    } catch (e) {
      error("QUEUE_FAILED", String(e));
    }
  };
  const subjectOf = (context?: EvaluateContext | null) => (typeof context?.subject === "string" ? context.subject : subject);
  /** The flag's value when it has this type (any defined value without one), else the default. */
  const typed = (type?: string) => (flag: string, defaultValue: unknown, context?: EvaluateContext) => {
    const value = client.evaluate(flag, defaultValue, context).value;
    return (type ? typeof value === type : value !== undefined) ? value : defaultValue;
  };

  /** Fetches the latest config (or version `told`, which live push announced), then schedules the next poll. */
  const update = async (told?: number) => {
    await state.fetchLatest(told);
    const every = options.pollIntervalMs ?? 60_000;
    if (closed || every <= 0) return;
    stop(poll);
    poll = later(() => void update(), every * (0.9 + random() * 0.2));
  };

  const client: EdgeflagClient = {
    ready: () => started,
    get subject() {
      return subject;
    },
    get version() {
      return state.active?.version ?? null;
    },
    get config() {
      return state.active?.config ?? null;
    },
    lastAssignment: (flag) => last.get(flag),
    refresh: () => update(),
    flush: () => queue.flush(),
    setContext(context) {
      if (typeof context?.subject === "string") subject = context.subject;
      if (isObject(context?.attributes)) attributes = { ...context.attributes };
    },
    on(type: string, listener: Listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    evaluate<T>(flag: string, defaultValue: T, context?: EvaluateContext | null): Assignment<T> {
      const who = subjectOf(context);
      const active = state.active;
      let result: EvaluationResult;
      try {
        const merged = isObject(context?.attributes) ? { ...attributes, ...context.attributes } : attributes;
        result = evaluateCore(active?.compiled ?? NO_CONFIG, flag, { subject: who, attributes: merged, now: now() }, defaultValue);
      } catch (e) {
        result = callerDefault(flag, defaultValue, "ERROR", "INVALID_CONFIG", String(e));
      }
      let assignmentId: string | undefined;
      if (result.log && active) {
        // One exposure per (flag, allocation, variant, subject), in a bounded least-recently-used cache.
        const key = `${flag}\u0000${result.allocation}\u0000${result.variant}\u0000${who}`;
        assignmentId = exposures.get(key);
        exposures.delete(key); // set again below, as the most recently used
        if (assignmentId === undefined) {
          assignmentId = uuid();
          if (exposures.size >= EXPOSURE_CACHE) exposures.delete(exposures.keys().next().value!);
          const event = stamp({ type: "exposure", subject: who, flag, allocation: result.allocation!, variant: result.variant!, version: active.version, kid: active.kid, assignmentId }) as ExposureEvent;
          if (active.verified) deliver(event);
          else held.push({ jws: active.jws, event, key });
        }
        exposures.set(key, assignmentId);
      }
      const assignment = makeAssignment<T>(result, who, assignmentId ?? uuid(), active?.version ?? null, emitEvent);
      if (who === subject) last.set(flag, assignment);
      return assignment;
    },
    getBoolean: typed("boolean") as EdgeflagClient["getBoolean"],
    getString: typed("string") as EdgeflagClient["getString"],
    getNumber: typed("number") as EdgeflagClient["getNumber"],
    getJSON: typed() as EdgeflagClient["getJSON"],
    feedback(assignment, rating, extra = {}) {
      const judged = typeof rating === "number" ? (Number.isFinite(rating) ? { score: rating } : null) : rating === "up" || rating === "down" ? { rating } : null;
      if (!judged) return error("INVALID_FEEDBACK", `feedback is "up", "down" or a number, not ${String(rating)}`);
      emitEvent({ type: "feedback", subject: assignment.subject, flag: assignment.flag, variant: assignment.variant, assignmentId: assignment.assignmentId, ...judged, ...extra });
    },
    track(name, value, context) {
      emitEvent({ subject: subjectOf(context), ...custom(name, value) });
    },
    close() {
      closed = true;
      stop(poll);
      stopLive?.();
      queue.close();
    },
  };

  const start = async (): Promise<ReadyState> => {
    await state.verifyInitial();
    const network = client.refresh();
    // Opened once the first fetch is done, so the version it is told on connect is rarely news.
    if (options.live) void network.then(() => closed || (stopLive = liveUpdates(`${base.replace(/^http/, "ws")}/v1/configs/${encodeURIComponent(options.env)}/live`, { held: () => state.active?.version ?? 0, fetch: (v) => void update(v), random })));
    if (!state.active?.verified) await network;
    const a = state.active;
    const ok = !!a?.verified;
    return { ok, version: a?.version ?? null, source: a?.source ?? null, ...(!ok && { error: problem }) };
  };
  const started = start().catch((e) => {
    error("START_FAILED", messageOf(e));
    return { ok: false, version: null, source: null, error: problem };
  });
  return client;
}
