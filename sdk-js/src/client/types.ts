/**
 * The client's public shapes: its options, what `ready()` and `update` say, and the client itself.
 *
 * @module
 */
import type { FlagConfig } from "@edgeflag/config-schema";
import type { AttributeValue } from "../core/index.ts";
import type { JWK, JWKSet, RootKey } from "../signing/light.ts";
import type { Assignment } from "./assignment.ts";
import type { ConfigSource } from "./config-source.ts";
import type { ActiveConfig } from "./config-state.ts";
import type { ClientError } from "./errors.ts";
import type { EventSink } from "./event-sink.ts";
import type { ExposureEvent } from "./events.ts";
import type { KeyValueStorage } from "./storage.ts";

export interface ClientOptions {
  /** The Worker's base URL, e.g. "https://flags.example.com". */
  baseUrl: string;
  env: string;
  /** Trusted public keys (pinned: nothing fetched replaces or extends them), and/or… (one of the three is required: without, ready() says NO_TRUSTED_KEYS) */
  keys?: JWK | JWK[] | JWKSet;
  /** …the pinned root key (public JWK or RFC 7638 thumbprint): configs verify with the keys of the key set it signed, or… */
  rootKey?: RootKey;
  /** Where the root-signed key set is. Default `${baseUrl}/.well-known/edgeflag-keys.jws`. */
  keySetUrl?: string;
  /** …with nothing pinned, a JWKS URL the integrator chose (trusts whoever serves it; fetched again once on an unknown kid). */
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
  /**
   * Hold a WebSocket to `${baseUrl}/v1/configs/<env>/live` (where a `WebSocket` global exists) and
   * fetch each new version as soon as the Worker announces it, verified as always; polling stays
   * the fallback. Default false. close() closes it.
   */
  live?: boolean;
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
  /** The clock (ms since the epoch). Default Date.now. */
  now?: () => number;
  /** In [0, 1): the jitter of polls and retry backoff. Default Math.random. */
  random?: () => number;
  /** Where signed configs come from. Default: `GET ${baseUrl}/v1/configs/<env>` with If-None-Match. */
  source?: ConfigSource;
  /** Where batches of events go. Default: POST to `eventsUrl` (fetch keepalive, sendBeacon when the page goes). */
  sink?: EventSink;
}

export interface ReadyState {
  ok: boolean;
  version: number | null;
  source: ActiveConfig["source"] | null;
  /** When not ok: why, the last problem the client reported before ready() resolved (a config refused or not fetched, no trusted keys…). */
  error?: ClientError;
}

/** The detail of the `update` event: a newly verified config. */
export interface ConfigUpdate {
  version: number;
  source: ActiveConfig["source"];
}

export interface EvaluateContext {
  subject?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A client made by `createClient`. */
export interface EdgeflagClient {
  /** Resolves once a verified config is in hand, or once the first fetch failed. Never rejects. */
  ready(): Promise<ReadyState>;
  /** The default subject: the one given, or the stable anonymous id made for this browser. */
  readonly subject: string;
  /** The active config's version, or null. */
  readonly version: number | null;
  /** The active config's content (its flags, as signed), or null: for readers of more than one evaluation, such as the router's model list. */
  readonly config: Readonly<FlagConfig> | null;
  /**
   * The last assignment of a flag for the default subject, as it was shown: what feedback on a
   * rendered answer should credit even if a newer config arrived since.
   */
  lastAssignment(flag: string): Assignment | undefined;
  /** Fetches the latest config now (If-None-Match). Never rejects. */
  refresh(): Promise<void>;
  /** Sends queued events now; in a Worker, hand this promise to ctx.waitUntil. */
  flush(): Promise<void>;
  setContext(context: EvaluateContext): void;
  /**
   * Listens to newly verified configs ("update") or problems ("error", with a typed code);
   * returns the function that stops listening.
   *
   * @example
   * client.on("error", (e) => console.warn(e.code, e.message));
   */
  on(type: "update", listener: (update: ConfigUpdate) => void): () => void;
  on(type: "error", listener: (error: ClientError) => void): () => void;
  /**
   * Evaluates a flag synchronously. Logged allocations log one exposure per (flag, allocation,
   * variant, subject).
   *
   * @example
   * const a = client.evaluate("chat-model", { model: "gpt-4o-mini" });
   * const reply = await callModel(a.value); a.record(reply, { latencyMs });
   */
  evaluate<T = unknown>(flag: string, defaultValue: T, context?: EvaluateContext | null): Assignment<T>;
  /** The flag's value when it is a boolean, else the default (likewise getString, getNumber). */
  getBoolean(flag: string, defaultValue: boolean, context?: EvaluateContext): boolean;
  getString(flag: string, defaultValue: string, context?: EvaluateContext): string;
  getNumber(flag: string, defaultValue: number, context?: EvaluateContext): number;
  /** The flag's value when it has one (any type), else the default. */
  getJSON<T = unknown>(flag: string, defaultValue: T, context?: EvaluateContext): T;
  /** 👍 / 👎 ("up" / "down") or a numeric score for an assignment, with an optional reason and comment. */
  feedback(assignment: Pick<Assignment, "flag" | "variant" | "assignmentId" | "subject">, rating: "up" | "down" | number, extra?: { comment?: string; reason?: string }): void;
  /** An event not tied to one assignment (regenerated, copied, follow-up…). */
  track(name: string, value?: number, context?: EvaluateContext | null): void;
  close(): void;
}
