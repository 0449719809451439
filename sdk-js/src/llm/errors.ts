/**
 * Errors in OpenAI's shape, `{ error: { message, type, param, code } }`, whatever the upstream
 * said: its message is kept (with the key, should it be echoed, replaced by `***`), its headers
 * and anything else are dropped.
 *
 * @module
 */
import type { AttemptRecord, AttemptResult, ChatError } from "./types.ts";

/**
 * A request the variant cannot send (unknown template variable, a field Anthropic lacks…): a 400
 * whose `param` is the field's JSON pointer.
 *
 * @example
 * throw new ModelRequestError("/n: n > 1 cannot be sent to an Anthropic upstream", "unsupported_for_provider", "/n");
 */
export class ModelRequestError extends Error {
  readonly code: string;
  readonly param: string | null;
  constructor(message: string, code: string, param: string | null = null) {
    super(message);
    this.name = "ModelRequestError";
    this.code = code;
    this.param = param;
  }
}

/**
 * An OpenAI-shaped error response (`param` null when absent): what a router answers for an
 * `ok: false` attempt, `errorResponse(result.status, result.error)`.
 *
 * @example
 * errorResponse(401, { message: "a router key is required", type: "invalid_request_error", code: "invalid_api_key" });
 */
export function errorResponse(status: number, error: Omit<ChatError, "param"> & { param?: string | null }): Response {
  const body = { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The most characters of an error kept (the event schema's `error` maxLength, event.v1.json). */
export const MAX_ERROR_CHARS = 1000;

/**
 * `text` as an event can hold it: well-formed (a lone surrogate, which D1 cannot store, becomes
 * U+FFFD) and at most `max` characters (code points, as the schema's maxLength counts), its last
 * one `mark` when cut. What an upstream says goes through this before it reaches a record: one
 * field past the schema and the Queue sink refuses the whole execution.
 *
 * @example
 * fitText("\ud800abc", 3); // "\ufffda…"
 */
export function fitText(text: string, max: number, mark = "…"): string {
  const chars = Array.from(text.replace(/\p{Surrogate}/gu, "\ufffd"));
  return chars.length <= max ? chars.join("") : chars.slice(0, max - mark.length).join("") + mark;
}

/** The `ok: false` outcome of an attempt; `record` is completed with the status and the error. */
export function failure(
  record: Omit<AttemptRecord, "status" | "error">,
  recordStatus: number,
  status: number,
  retryable: boolean,
  error: Omit<ChatError, "param"> & { param?: string | null },
): Extract<AttemptResult, { ok: false }> {
  const full = { message: error.message, type: error.type, code: error.code, param: error.param ?? null };
  return { ok: false, retryable, status, error: full, record: { ...record, status: recordStatus, error: fitText(full.message, MAX_ERROR_CHARS) } };
}

/** 5xx and 429 are worth trying elsewhere; other 4xx would fail again. */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

const TYPE_OF_STATUS: Record<number, string> = { 400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error" };

/**
 * Maps an upstream's error body (OpenAI's `{error:{message,type,param,code}}`, Anthropic's
 * `{type:"error",error:{type,message}}`, or anything) to OpenAI's shape, hiding `secret`.
 *
 * @example
 * upstreamError(529, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', "sk-…");
 * // { message: "Overloaded", type: "overloaded_error", param: null, code: "overloaded_error" }
 */
export function upstreamError(status: number, text: string, secret: string | undefined): ChatError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const inner = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  const e = typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  let message = str(e.message) ?? str(inner) ?? `upstream answered ${status}`;
  if (secret) message = message.split(secret).join("***");
  message = fitText(message, MAX_ERROR_CHARS);
  const type = str(e.type) ?? TYPE_OF_STATUS[status] ?? (status >= 500 ? "upstream_error" : "invalid_request_error");
  const code = str(e.code) ?? (typeof e.code === "number" ? String(e.code) : undefined) ?? str(e.type) ?? null;
  return { message, type, param: str(e.param) ?? null, code };
}

/** The error of the SSE event that ends a stream the upstream cut. */
export const TRUNCATED = {
  message: "upstream stream ended before the answer was complete",
  type: "upstream_error",
  code: "stream_truncated",
} as const;
