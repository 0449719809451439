/**
 * Errors in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, the shape every
 * OpenAI client library parses: each client mistake is a 4xx whose `param` names the field (and
 * whose message gives its JSON pointer), never a 500 or a stack trace.
 *
 * @module
 */

/** The body of every error answer of the router. */
export interface OpenAIErrorBody {
  message: string;
  /** `invalid_request_error`, `authentication_error`, `permission_error`, `not_found_error`, `rate_limit_error`, `api_error`. */
  type: string;
  /** The request field at fault (`messages`, `user`, `model`…), or null. */
  param: string | null;
  code: string | null;
}

/**
 * An answer the router gives instead of calling a model, with its status and headers.
 *
 * @example
 * throw new RouterError(400, { message: "messages must be an array (at /messages)", type: "invalid_request_error", param: "messages", code: "invalid_messages" });
 */
export class RouterError extends Error {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  readonly headers: Record<string, string>;
  constructor(status: number, body: OpenAIErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.name = "RouterError";
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/**
 * A client's mistake about one field: 400 (or `status`), type invalid_request_error, the field in
 * `param` and its pointer in the message.
 *
 * @example
 * throw invalid("messages", "/messages/3/role", "must be a string", "invalid_messages");
 */
export function invalid(param: string | null, pointer: string, message: string, code: string, status = 400): RouterError {
  return new RouterError(status, { message: `${message} (at ${pointer === "" ? "the body" : pointer})`, type: "invalid_request_error", param, code });
}

/**
 * An OpenAI-shaped error response; never cached.
 *
 * @example
 * return openAIError(401, { message: "…", type: "invalid_request_error", param: null, code: "invalid_api_key" });
 */
export function openAIError(status: number, body: OpenAIErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: body }), { status, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

/**
 * Whatever was thrown, as a response: a RouterError as itself, anything else a 500 that reveals
 * nothing (no message, no stack: it may hold a secret or an upstream header).
 *
 * @example
 * try { return await route(request) } catch (e) { return errorResponseOf(e) }
 */
export function errorResponseOf(e: unknown): Response {
  if (e instanceof RouterError) return openAIError(e.status, e.body, e.headers);
  return openAIError(500, { message: "internal error", type: "api_error", param: null, code: null });
}
