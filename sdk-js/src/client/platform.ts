/**
 * What the client's parts (config state, event queue, the HTTP source and sink) are handed: fetch
 * with a deadline, timers that never keep a process alive, never-throwing storage, the clock,
 * randomness and the client's events.
 *
 * @module
 */
import type { ClientError } from "./errors.ts";
import type { SafeStorage } from "./storage.ts";

/** fetch and its deadline: what a part that goes to the network needs. */
export interface Net {
  fetch: typeof fetch;
  /** Per request, in ms. */
  timeoutMs: number;
}

export interface Platform extends Net {
  storage: SafeStorage;
  /** Prefix of this client's storage keys (names the env and the server). */
  prefix: string;
  now: () => number;
  /** In [0, 1): the jitter of polls and retries. */
  random: () => number;
  /** Emits a client event ("update" with {version, source}, "error" with a ClientError). */
  emit(type: "update", detail: { version: number; source: string }): void;
  emit(type: "error", detail: ClientError): void;
  /** A config verified (its JWS), or the unverified one first paint used was dropped (null). */
  settled(jws: string | null): void;
}

export type Timer = ReturnType<typeof setTimeout>;

/** setTimeout that does not keep Node or Deno running for it. */
export function later(f: () => void, ms: number): Timer {
  const timer = setTimeout(f, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** clearTimeout for a timer that may not be set (the runtimes' typings disagree on undefined). */
export function stop(timer: Timer | undefined): void {
  if (timer !== undefined) clearTimeout(timer);
}

/**
 * A request with a deadline: the signal aborts fetches that honour it, and the promise settles
 * at the deadline even with a custom `fetch` that ignores signals, so nothing in the client can hang.
 */
export function fetchWithin(net: Net, url: string, init: RequestInit = {}): Promise<Response> {
  const signal = AbortSignal.timeout(net.timeoutMs);
  return new Promise((resolve, reject) => {
    signal.onabort = () => reject(signal.reason);
    net.fetch(url, { ...init, signal }).then(resolve, reject);
  });
}
