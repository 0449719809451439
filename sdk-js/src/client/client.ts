/**
 * The edgeflag client: verified config, synchronous local evaluation, exposures, feedback and
 * LLM execution records. It never throws into the host application: a missing or bad config, a
 * network error, a broken storage or an invalid key gives the caller's default and a reason.
 *
 * @module
 */
import { evaluate as evaluateCore, type AttributeValue, type EvaluationResult } from "../core/index.ts";
import type { JWK, JWKSet } from "../signing/light.ts";
import { makeAssignment, type Assignment, type Emit } from "./assignment.ts";
import { ConfigSource, type ActiveConfig } from "./config-source.ts";
import { EventQueue } from "./event-queue.ts";
import { uuid, type EdgeflagEvent, type EventDraft, type ExposureEvent } from "./events.ts";
import { pageHooks } from "./page.ts";
import { browserStorage, MemoryStorage, SafeStorage, type KeyValueStorage } from "./storage.ts";

export interface ClientOptions {
  /** The Worker's base URL, e.g. "https://flags.example.com". */
  baseUrl: string;
  env: string;
  /** Trusted public keys (pinned), or… */
  keys?: JWK | JWK[] | JWKSet;
  /** …a JWKS URL the integrator chose (fetched again once on an unknown kid). */
  jwksUrl?: string;
  /** Default subject; without one a stable anonymous id is made and kept in storage. */
  subject?: string;
  attributes?: Record<string, AttributeValue>;
  /** A signed config from the server (SSR), used at first paint and verified like any other. */
  bootstrap?: string;
  /** Default: localStorage in browsers, memory elsewhere. */
  storage?: KeyValueStorage;
  fetch?: typeof fetch;
  /** 0 disables polling (Workers: call refresh()). Default 60 s. */
  pollIntervalMs?: number;
  /** A cached config last confirmed longer ago than this is not used at start. Default 24 h. */
  maxStalenessMs?: number;
  /** Default `${baseUrl}/v1/events`. */
  eventsUrl?: string;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Events kept while they cannot be sent (the oldest are dropped, with an error event). Default 1000. */
  maxQueuedEvents?: number;
  /** Per network request (config, JWKS, events), in ms. Default 10 s. */
  timeoutMs?: number;
  /** Called for every logged exposure, for teams that log assignments to their own warehouse. */
  onExposure?: (exposure: ExposureEvent) => void;
  now?: () => number;
}

export interface ReadyState {
  ok: boolean;
  version: number | null;
  source: ActiveConfig["source"] | null;
}

export interface EvaluateContext {
  subject?: string;
  attributes?: Record<string, AttributeValue>;
}

type Listener = (detail: unknown) => void;
const EXPOSURE_CACHE = 1000;

export class EdgeflagClient {
  readonly #o: ClientOptions;
  readonly #source: ConfigSource;
  readonly #queue: EventQueue;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #exposures = new Map<string, string>();
  readonly #last = new Map<string, Assignment>();
  /** Exposures of evaluations made on a config not yet verified: logged once it verifies, dropped if it does not. */
  readonly #held: Array<{ jws: string; event: ExposureEvent; key: string }> = [];
  readonly #ready: Promise<ReadyState>;
  #subject: string;
  #attributes: Record<string, AttributeValue>;
  #poll: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: ClientOptions) {
    this.#o = options;
    const storage = new SafeStorage(options.storage ?? browserStorage() ?? new MemoryStorage());
    const fetcher = options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
    const now = options.now ?? Date.now;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const prefix = storagePrefix(options.baseUrl, options.env);
    this.#subject = options.subject ?? anonymousId(storage);
    this.#attributes = { ...options.attributes };
    this.#source = new ConfigSource({
      baseUrl: options.baseUrl, env: options.env, keys: options.keys, jwksUrl: options.jwksUrl, bootstrap: options.bootstrap,
      fetch: fetcher, storage, storagePrefix: prefix, timeoutMs, now, maxStalenessMs: options.maxStalenessMs ?? 86_400_000,
      onUpdate: (a) => this.#emit("update", { version: a.version, source: a.source }),
      onVerified: (a) => this.#releaseExposures(a.jws),
      onDropped: () => this.#releaseExposures(null),
      onError: (e) => this.#emit("error", e),
    });
    this.#queue = new EventQueue({
      url: options.eventsUrl ?? `${options.baseUrl.replace(/\/+$/, "")}/v1/events`, fetch: fetcher, storage,
      storageKey: `${prefix}:events`, batchSize: options.batchSize ?? 20, flushIntervalMs: options.flushIntervalMs ?? 5000,
      maxQueued: options.maxQueuedEvents ?? 1000, timeoutMs, page: pageHooks(),
      onDrop: (count) => this.#emit("error", { code: "EVENTS_DROPPED", message: `${count} queued events were dropped: the queue is full (maxQueuedEvents)` }),
      onRejected: (status) => this.#emit("error", { code: "EVENTS_REJECTED", message: `the events endpoint answered ${status}; the events are kept and sent again later` }),
    });
    this.#ready = this.#start().catch((e) => {
      this.#emit("error", { code: "START_FAILED", message: String((e as Error)?.message ?? e) });
      return { ok: false, version: null, source: null };
    });
  }

  async #start(): Promise<ReadyState> {
    await this.#source.verifyInitial();
    const state = (): ReadyState => {
      const a = this.#source.active;
      return { ok: !!a?.verified, version: a?.version ?? null, source: a?.source ?? null };
    };
    const network = this.#source.fetchLatest().then(() => this.#schedulePoll());
    if (this.#source.active?.verified) return state();
    await network;
    return state();
  }

  #schedulePoll(): void {
    const every = this.#o.pollIntervalMs ?? 60_000;
    if (this.#closed || every <= 0) return;
    if (this.#poll !== undefined) clearTimeout(this.#poll);
    this.#poll = setTimeout(() => void this.refresh(), every * (0.9 + Math.random() * 0.2));
    (this.#poll as { unref?: () => void }).unref?.();
  }

  /** Resolves once a verified config is in hand, or once the first fetch failed. Never rejects. */
  ready(): Promise<ReadyState> {
    return this.#ready;
  }

  /** The default subject: the one given, or the stable anonymous id made for this browser. */
  get subject(): string {
    return this.#subject;
  }

  /**
   * The last assignment of a flag for the default subject, as it was shown: what feedback on a
   * rendered answer should credit even if a newer config arrived since.
   */
  lastAssignment(flag: string): Assignment | undefined {
    return this.#last.get(flag);
  }

  /** The active config's version, or null. */
  get version(): number | null {
    return this.#source.active?.version ?? null;
  }

  /** Fetches the latest config now (If-None-Match). Never rejects. */
  async refresh(): Promise<void> {
    await this.#source.fetchLatest();
    this.#schedulePoll();
  }

  /** Sends queued events now; in a Worker, hand this promise to ctx.waitUntil. */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  setContext(context: EvaluateContext): void {
    if (typeof context?.subject === "string") this.#subject = context.subject;
    if (typeof context?.attributes === "object" && context.attributes !== null) this.#attributes = { ...context.attributes };
  }

  on(type: "update" | "error", listener: Listener): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Evaluates a flag synchronously. Logged allocations log one exposure per (flag, allocation,
   * variant, subject).
   *
   * @example
   * const a = client.evaluate("chat-model", { model: "gpt-4o-mini" });
   * const reply = await callModel(a.value); a.record(reply, { latencyMs });
   */
  evaluate<T = unknown>(flag: string, defaultValue: T, context?: EvaluateContext | null): Assignment<T> {
    context = typeof context === "object" && context !== null ? context : {};
    const subject = typeof context.subject === "string" ? context.subject : this.#subject;
    const active = this.#source.active;
    let result: EvaluationResult;
    try {
      const attributes = typeof context.attributes === "object" && context.attributes !== null ? { ...this.#attributes, ...context.attributes } : this.#attributes;
      result = active
        ? evaluateCore(active.compiled, flag, { subject, attributes, now: (this.#o.now ?? Date.now)() }, defaultValue)
        : { flag, variant: null, value: defaultValue, allocation: null, reason: "ERROR", log: false, errorCode: "INVALID_CONFIG", errorMessage: "no verified config yet" };
    } catch (e) {
      result = { flag, variant: null, value: defaultValue, allocation: null, reason: "ERROR", log: false, errorCode: "INVALID_CONFIG", errorMessage: String(e) };
    }
    let assignmentId: string;
    if (result.log && active) {
      // One exposure per (flag, allocation, variant, subject), in a bounded least-recently-used cache.
      const key = `${flag}\u0000${result.allocation}\u0000${result.variant}\u0000${subject}`;
      const known = this.#exposures.get(key);
      if (known === undefined) {
        assignmentId = uuid();
        this.#exposures.set(key, assignmentId);
        if (this.#exposures.size > EXPOSURE_CACHE) this.#exposures.delete(this.#exposures.keys().next().value!);
        this.#logExposure(result, subject, assignmentId, active, key);
      } else {
        assignmentId = known;
        this.#exposures.delete(key);
        this.#exposures.set(key, known);
      }
    } else {
      assignmentId = uuid();
    }
    const assignment = makeAssignment<T>(result, subject, assignmentId, active?.version ?? null, this.#emitEvent);
    if (subject === this.#subject) this.#last.set(flag, assignment);
    return assignment;
  }

  getBoolean(flag: string, defaultValue: boolean, context?: EvaluateContext): boolean {
    return this.#typed(flag, defaultValue, context, (v) => typeof v === "boolean");
  }
  getString(flag: string, defaultValue: string, context?: EvaluateContext): string {
    return this.#typed(flag, defaultValue, context, (v) => typeof v === "string");
  }
  getNumber(flag: string, defaultValue: number, context?: EvaluateContext): number {
    return this.#typed(flag, defaultValue, context, (v) => typeof v === "number");
  }
  getJSON<T = unknown>(flag: string, defaultValue: T, context?: EvaluateContext): T {
    return this.#typed(flag, defaultValue, context, (v) => v !== undefined);
  }

  #typed<T>(flag: string, defaultValue: T, context: EvaluateContext | undefined, ok: (v: unknown) => boolean): T {
    const value = this.evaluate<unknown>(flag, defaultValue, context).value;
    return ok(value) ? (value as T) : defaultValue;
  }

  /** 👍 / 👎 ("up" / "down") or a numeric score for an assignment, with an optional reason and comment. */
  feedback(assignment: Pick<Assignment, "flag" | "variant" | "assignmentId" | "subject">, rating: "up" | "down" | number, extra: { comment?: string; reason?: string } = {}): void {
    const judged = typeof rating === "number" ? (Number.isFinite(rating) ? { score: rating } : null) : rating === "up" || rating === "down" ? { rating } : null;
    if (!judged) return this.#emit("error", { code: "INVALID_FEEDBACK", message: `feedback is "up", "down" or a number, not ${String(rating)}` });
    this.#emitEvent({ type: "feedback", subject: assignment.subject, flag: assignment.flag, variant: assignment.variant, assignmentId: assignment.assignmentId, ...judged, ...extra });
  }

  /** An event not tied to one assignment (regenerated, copied, follow-up…). */
  track(name: string, value?: number, context?: EvaluateContext | null): void {
    this.#emitEvent({ type: "custom", subject: typeof context?.subject === "string" ? context.subject : this.#subject, name: String(name), ...(typeof value === "number" && Number.isFinite(value) ? { value } : {}) });
  }

  close(): void {
    this.#closed = true;
    if (this.#poll !== undefined) clearTimeout(this.#poll);
    this.#queue.close();
  }

  #logExposure(r: EvaluationResult, subject: string, assignmentId: string, active: ActiveConfig, key: string): void {
    const event = this.#stamp({ type: "exposure", subject, flag: r.flag, allocation: r.allocation!, variant: r.variant!, version: active.version, assignmentId }) as ExposureEvent;
    if (active.verified) this.#deliverExposure(event);
    else this.#held.push({ jws: active.jws, event, key });
  }

  /**
   * A config verified (or the unverified one was refused, `null`): exposures made on exactly
   * that signed config at first paint count; the others are dropped and will be logged afresh.
   */
  #releaseExposures(verifiedJws: string | null): void {
    for (const held of this.#held.splice(0)) {
      if (held.jws === verifiedJws) this.#deliverExposure(held.event);
      else this.#exposures.delete(held.key);
    }
  }

  #deliverExposure(event: ExposureEvent): void {
    this.#queue.push(event);
    try {
      this.#o.onExposure?.(event);
    } catch (e) {
      this.#emit("error", { code: "ON_EXPOSURE_THREW", message: String((e as Error)?.message ?? e) });
    }
  }

  #stamp(partial: EventDraft): EdgeflagEvent {
    return { id: uuid(), env: this.#o.env, ts: (this.#o.now ?? Date.now)(), ...partial } as EdgeflagEvent;
  }

  readonly #emitEvent: Emit = (partial) => {
    try {
      this.#queue.push(this.#stamp(partial));
    } catch (e) {
      this.#emit("error", { code: "QUEUE_FAILED", message: String(e) });
    }
  };

  #emit(type: string, detail: unknown): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        listener(detail);
      } catch {
        // a throwing listener must not break the client or the other listeners
      }
    }
  }
}

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
  return new EdgeflagClient(options);
}
