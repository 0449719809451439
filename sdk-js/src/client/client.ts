/**
 * The edgeflag client: verified config, synchronous local evaluation, exposures, feedback and
 * LLM execution records. It never throws into the host application: a missing or bad config, a
 * network error, a broken storage or an invalid key gives the caller's default and a reason.
 *
 * @module
 */
import { evaluate as evaluateCore, type AttributeValue, type CompiledConfig, type EvaluationResult } from "../core/index.ts";
import { callerDefault } from "../core/evaluate.ts";
import type { JWK, JWKSet } from "../signing/light.ts";
import { makeAssignment, type Assignment, type Emit } from "./assignment.ts";
import { configSource, type ActiveConfig, type ConfigSource } from "./config-source.ts";
import { eventQueue, type EventQueue } from "./event-queue.ts";
import { uuid, type EdgeflagEvent, type EventDraft, type ExposureEvent } from "./events.ts";
import { later, stop, type Timer } from "./platform.ts";
import { browserStorage, MemoryStorage, safeStorage, type KeyValueStorage, type SafeStorage } from "./storage.ts";

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
/** What evaluations see before any config is in hand: the caller's default, with this reason. */
const NO_CONFIG: CompiledConfig = { flags: new Map(), error: "no verified config yet" };
const isObject = (v: unknown): v is object => typeof v === "object" && v !== null;

export class EdgeflagClient {
  readonly #o: ClientOptions;
  readonly #now: () => number;
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
  #poll: Timer | undefined;
  #closed = false;

  constructor(options: ClientOptions) {
    this.#o = options;
    const storage = safeStorage(options.storage ?? browserStorage() ?? new MemoryStorage());
    this.#subject = options.subject ?? anonymousId(storage);
    this.#attributes = { ...options.attributes };
    const platform = {
      fetch: options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a)),
      storage,
      prefix: storagePrefix(options.baseUrl, options.env),
      base: options.baseUrl.replace(/\/+$/, ""),
      timeoutMs: options.timeoutMs ?? 10_000,
      now: (this.#now = options.now ?? Date.now),
      emit: (type: string, detail: unknown) => this.#emit(type, detail),
      settled: (jws: string | null) => this.#releaseExposures(jws),
    };
    this.#source = configSource(options, platform);
    this.#queue = eventQueue(options, platform);
    this.#ready = this.#start().catch((e) => {
      this.#error("START_FAILED", String((e as Error)?.message ?? e));
      return { ok: false, version: null, source: null };
    });
  }

  async #start(): Promise<ReadyState> {
    const source = this.#source;
    await source.verifyInitial();
    const network = this.refresh();
    if (!source.active?.verified) await network;
    const a = source.active;
    return { ok: !!a?.verified, version: a?.version ?? null, source: a?.source ?? null };
  }

  #schedulePoll(): void {
    const every = this.#o.pollIntervalMs ?? 60_000;
    if (this.#closed || every <= 0) return;
    stop(this.#poll);
    this.#poll = later(() => void this.refresh(), every * (0.9 + Math.random() * 0.2));
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
    if (isObject(context?.attributes)) this.#attributes = { ...context.attributes };
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
    context = isObject(context) ? context : {};
    const subject = typeof context.subject === "string" ? context.subject : this.#subject;
    const active = this.#source.active;
    let result: EvaluationResult;
    try {
      const attributes = isObject(context.attributes) ? { ...this.#attributes, ...context.attributes } : this.#attributes;
      result = evaluateCore(active?.compiled ?? NO_CONFIG, flag, { subject, attributes, now: this.#now() }, defaultValue);
    } catch (e) {
      result = callerDefault(flag, defaultValue, "ERROR", "INVALID_CONFIG", String(e));
    }
    let assignmentId: string | undefined;
    if (result.log && active) {
      // One exposure per (flag, allocation, variant, subject), in a bounded least-recently-used cache.
      const exposures = this.#exposures;
      const key = `${flag}\u0000${result.allocation}\u0000${result.variant}\u0000${subject}`;
      assignmentId = exposures.get(key);
      exposures.delete(key); // set again below, as the most recently used
      if (assignmentId === undefined) {
        assignmentId = uuid();
        if (exposures.size >= EXPOSURE_CACHE) exposures.delete(exposures.keys().next().value!);
        const event = this.#stamp({ type: "exposure", subject, flag, allocation: result.allocation!, variant: result.variant!, version: active.version, assignmentId }) as ExposureEvent;
        if (active.verified) this.#deliverExposure(event);
        else this.#held.push({ jws: active.jws, event, key });
      }
      exposures.set(key, assignmentId);
    }
    assignmentId ??= uuid();
    const assignment = makeAssignment<T>(result, subject, assignmentId, active?.version ?? null, this.#emitEvent);
    if (subject === this.#subject) this.#last.set(flag, assignment);
    return assignment;
  }

  getBoolean(flag: string, defaultValue: boolean, context?: EvaluateContext): boolean {
    return this.#typed(flag, defaultValue, context, "boolean");
  }
  getString(flag: string, defaultValue: string, context?: EvaluateContext): string {
    return this.#typed(flag, defaultValue, context, "string");
  }
  getNumber(flag: string, defaultValue: number, context?: EvaluateContext): number {
    return this.#typed(flag, defaultValue, context, "number");
  }
  getJSON<T = unknown>(flag: string, defaultValue: T, context?: EvaluateContext): T {
    return this.#typed(flag, defaultValue, context);
  }

  /** The flag's value when it has this type (any defined value without one), else the default. */
  #typed<T>(flag: string, defaultValue: T, context: EvaluateContext | undefined, type?: string): T {
    const value = this.evaluate<unknown>(flag, defaultValue, context).value;
    return (type ? typeof value === type : value !== undefined) ? (value as T) : defaultValue;
  }

  /** 👍 / 👎 ("up" / "down") or a numeric score for an assignment, with an optional reason and comment. */
  feedback(assignment: Pick<Assignment, "flag" | "variant" | "assignmentId" | "subject">, rating: "up" | "down" | number, extra: { comment?: string; reason?: string } = {}): void {
    const judged = typeof rating === "number" ? (Number.isFinite(rating) ? { score: rating } : null) : rating === "up" || rating === "down" ? { rating } : null;
    if (!judged) return this.#error("INVALID_FEEDBACK", `feedback is "up", "down" or a number, not ${String(rating)}`);
    this.#emitEvent({ type: "feedback", subject: assignment.subject, flag: assignment.flag, variant: assignment.variant, assignmentId: assignment.assignmentId, ...judged, ...extra });
  }

  /** An event not tied to one assignment (regenerated, copied, follow-up…). */
  track(name: string, value?: number, context?: EvaluateContext | null): void {
    this.#emitEvent({ type: "custom", subject: typeof context?.subject === "string" ? context.subject : this.#subject, name: String(name), ...(typeof value === "number" && Number.isFinite(value) ? { value } : {}) });
  }

  close(): void {
    this.#closed = true;
    stop(this.#poll);
    this.#queue.close();
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
      this.#error("ON_EXPOSURE_THREW", String((e as Error)?.message ?? e));
    }
  }

  #stamp(partial: EventDraft): EdgeflagEvent {
    return { id: uuid(), env: this.#o.env, ts: this.#now(), ...partial } as EdgeflagEvent;
  }

  readonly #emitEvent: Emit = (partial) => {
    try {
      this.#queue.push(this.#stamp(partial));
    } catch (e) {
      this.#error("QUEUE_FAILED", String(e));
    }
  };

  #error(code: string, message: string): void {
    this.#emit("error", { code, message });
  }

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
