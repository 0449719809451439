/**
 * JSON answers and the one error shape every route shares: `{ error: { code, message, pointer? } }`.
 * Handlers throw `HttpError`; src/index.ts turns whatever was thrown into a response.
 *
 * @module
 */
import { ConfigVerificationError } from "@edgeflag/sdk/signing";
import type { ValidationError } from "@edgeflag/config-schema";

/** The body of every error answer. */
export interface ErrorBody {
  code: string;
  message: string;
  /** JSON pointer to the offending field of the request (path parameters as `/env`, `/version`). */
  pointer?: string;
  errors?: ValidationError[];
  /** For a 409 VERSION_CONFLICT: the env's version the request lost to. */
  latest?: number;
}

/**
 * A client's mistake (4xx) or a known server condition, with a stable `code`.
 *
 * @example
 * throw new HttpError(400, "INVALID_ENV", "env must be 1 to 64 of A-Z a-z 0-9 _ -", { pointer: "/env" });
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly pointer?: string;
  readonly errors?: ValidationError[];
  readonly headers?: Record<string, string>;
  readonly latest?: number;
  constructor(status: number, code: string, message: string, extra: { pointer?: string; errors?: ValidationError[]; headers?: Record<string, string>; latest?: number } = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.pointer = extra.pointer;
    this.errors = extra.errors;
    this.headers = extra.headers;
    this.latest = extra.latest;
  }
}

/**
 * A JSON response (pretty-printed: these bodies are read by people and curl as often as by code).
 *
 * @example
 * return json({ env, version }, 201);
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

/**
 * The answer to a `HEAD` request: the `GET` answer's status and headers, without its body.
 *
 * @example
 * if (request.method === "HEAD") return withoutBody(await handler(request, env, ctx, params));
 */
export async function withoutBody(response: Response): Promise<Response> {
  await response.body?.cancel();
  return new Response(null, response);
}

/**
 * An error answer; never cached.
 *
 * @example
 * return errorResponse(404, { code: "NOT_FOUND", message: "no route for GET /x" });
 */
export function errorResponse(status: number, error: ErrorBody, headers: Record<string, string> = {}): Response {
  return json({ error }, status, { "Cache-Control": "no-store", ...headers });
}

/**
 * Turns anything a handler threw into a response: `HttpError` as itself, a refused signed config
 * as 400 with its code, anything else as a 500 that reveals nothing (the details go to the log).
 *
 * @example
 * try { return await handler(request, env, ctx, params) } catch (e) { return toErrorResponse(e) }
 */
export function toErrorResponse(e: unknown): Response {
  if (e instanceof HttpError) {
    const body: ErrorBody = { code: e.code, message: e.message };
    if (e.pointer !== undefined) body.pointer = e.pointer;
    if (e.errors !== undefined) body.errors = e.errors;
    if (e.latest !== undefined) body.latest = e.latest;
    return errorResponse(e.status, body, e.headers);
  }
  if (e instanceof ConfigVerificationError) {
    const body: ErrorBody = { code: e.code, message: e.message };
    if (e.errors.length > 0) body.errors = e.errors;
    return errorResponse(400, body);
  }
  console.error("edgeflag: unexpected error", e);
  return errorResponse(500, { code: "INTERNAL", message: "internal error" });
}
