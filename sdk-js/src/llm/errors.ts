/**
 * Errors in OpenAI's shape, `{ error: { message, type, param, code } }`, whatever the upstream
 * said: its message is kept (with the key, should it be echoed, replaced by `***`), its headers
 * and anything else are dropped.
 *
 * @module
 */
import type { AttemptRecord, AttemptResult, ChatError } from "./types.ts";

/** A request the variant cannot send (unknown template variable, a field Anthropic lacks…): a 400. */
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
 * An OpenAI-shaped error response.
 *
 * @example
 * errorResponse(401, { message: "a router key is required", type: "invalid_request_error", param: null, code: "invalid_api_key" });
 */
export function errorResponse(status: number, error: ChatError): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { "content-type": "application/json" } });
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
  return { ok: false, retryable, status, error: full, record: { ...record, status: recordStatus, error: full.message } };
}

/** 5xx and 429 are worth trying elsewhere; other 4xx would fail again. */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

const TYPE_OF_STATUS: Record<number, string> = { 400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error" };

/** The longest upstream message passed on. */
const MAX_MESSAGE = 1000;

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
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
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
