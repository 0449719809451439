/**
 * What the client's `error` event carries, and the one check of its trust options. Every code is
 * stable: match on `code`, show `message`.
 *
 * @module
 */
import type { ConfigErrorCode } from "../signing/light.ts";

/**
 * The codes of the client's `error` event (and of `ready()`'s `error`):
 * - a config refused: the verifier's codes (`SIGNATURE_INVALID`, `UNKNOWN_KID`, `EXPIRED`,
 *   `ROLLBACK`, `WRONG_ENV`, `SCHEMA_INVALID`…), the last good config stays;
 * - `NO_TRUSTED_KEYS`: the options give none of `keys`, `rootKey`, `jwksUrl`, so nothing can verify;
 * - `JWKS_UNAVAILABLE`: the JWKS URL or the key set could not be read (no verdict on the config);
 * - `KEY_SET_REFUSED`: the key set failed the pinned root's checks (its keys are not used);
 * - `FETCH_FAILED`: the config could not be fetched (`status` and the server's `serverCode` when it answered);
 * - `EVENTS_DROPPED`, `EVENTS_REJECTED`: events lost (queue full, too large) or refused by the server;
 * - `EVENT_SANITIZED`: an event's data could not be sent as given (a circular reference, a BigInt,
 *   a function, nesting past 32 levels, over 16 KiB): the values were replaced or dropped, or the
 *   event itself dropped; the message names each path;
 * - `QUEUE_FAILED`, `ON_EXPOSURE_THREW`, `INVALID_FEEDBACK`, `START_FAILED`: the host's callbacks or calls.
 */
export type ClientErrorCode =
  | Exclude<ConfigErrorCode, "KEYS_UNAVAILABLE">
  | "NO_TRUSTED_KEYS"
  | "JWKS_UNAVAILABLE"
  | "KEY_SET_REFUSED"
  | "FETCH_FAILED"
  | "EVENTS_DROPPED"
  | "EVENTS_REJECTED"
  | "EVENT_SANITIZED"
  | "QUEUE_FAILED"
  | "ON_EXPOSURE_THREW"
  | "INVALID_FEEDBACK"
  | "START_FAILED";

/**
 * The detail of the client's `error` event.
 *
 * @example
 * client.on("error", (e) => { if (e.code === "FETCH_FAILED" && e.serverCode === "ENV_NOT_FOUND") console.warn(e.message) });
 */
export interface ClientError {
  code: ClientErrorCode;
  message: string;
  /** FETCH_FAILED: the HTTP status the server answered with, when it answered. */
  status?: number;
  /** FETCH_FAILED: the server's own error code from its JSON body (e.g. `ENV_NOT_FOUND`). */
  serverCode?: string;
}

/**
 * An answer that is not OK, as what a source rejects with (`what` names the request): its status,
 * and the server's code and message when the body is the Worker's `{"error": {"code", "message"}}`.
 */
export async function statusError(res: Response, what: string): Promise<{ message: string; status: number; serverCode?: string }> {
  const error = ((await res.json().catch(() => 0)) as { error?: { code?: string; message?: string } })?.error;
  const code = error?.code;
  return { message: `${what}: HTTP ${res.status}${code ? ` ${code}: ${error!.message}` : ""}`, status: res.status, serverCode: code };
}
