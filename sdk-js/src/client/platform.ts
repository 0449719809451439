/**
 * What the client's parts (config source, event queue) are handed: fetch with a deadline, timers
 * that never keep a process alive, never-throwing storage, the clock and the client's events.
 *
 * @module
 */
import type { SafeStorage } from "./storage.ts";

export interface Platform {
  fetch: typeof fetch;
  storage: SafeStorage;
  /** Prefix of this client's storage keys (names the env and the server). */
  prefix: string;
  /** The base URL without trailing slashes. */
  base: string;
  /** Per request, in ms. */
  timeoutMs: number;
  now: () => number;
  /** Emits a client event ("update" with {version, source}, "error" with {code, message}). */
  emit(type: "update" | "error", detail: unknown): void;
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
export function fetchWithin(p: Platform, url: string, init: RequestInit = {}): Promise<Response> {
  const signal = AbortSignal.timeout(p.timeoutMs);
  return new Promise((resolve, reject) => {
    signal.onabort = () => reject(signal.reason);
    p.fetch(url, { ...init, signal }).then(resolve, reject);
  });
}
