/**
 * Reading request bodies: size-limited, UTF-8, JSON objects, and the optional fields every admin
 * body shares. Every refusal is a 4xx naming what is wrong.
 *
 * @module
 */
import { readLimitedBody } from "@edgeflag/sdk/router";
import { HttpError } from "./http.ts";

/** Largest request body accepted: a config near the SDK's 1 MB limit, wrapped in JSON. */
export const MAX_BODY_BYTES = 2_000_000;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The request body as text, at most `maxBytes` of UTF-8 (413 BODY_TOO_LARGE beyond, 400 BAD_BODY
 * when it is not UTF-8). Read as bytes: workerd warns on `.text()` of non-text types.
 *
 * @example
 * const jws = (await readText(request)).trim();
 */
export async function readText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBytes(request, maxBytes);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new HttpError(400, "BAD_BODY", "the body is not UTF-8 text");
  }
}

/**
 * At most `maxBytes` of the body, counted as they stream in: a chunked body with no (or a false)
 * Content-Length is cut off at the limit, never buffered whole.
 */
function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  return readLimitedBody(request, maxBytes, () => new HttpError(413, "BODY_TOO_LARGE", `the body is larger than ${maxBytes} bytes`));
}

/**
 * The request body as a JSON object; 400 BAD_JSON when it is not JSON, BODY_INVALID when it is
 * not an object.
 *
 * @example
 * const body = await readJsonObject(request);
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await readText(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, "BAD_JSON", `the body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "BODY_INVALID", "the body must be a JSON object", { pointer: "" });
  }
  return body as Record<string, unknown>;
}

/**
 * A required non-empty string field of a body.
 *
 * @example
 * const flag = requiredString(body, "flag");
 */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined) throw new HttpError(400, "FIELD_REQUIRED", `${field} is required`, { pointer: `/${field}` });
  if (typeof value !== "string" || value === "") throw new HttpError(400, "FIELD_INVALID", `${field} must be a non-empty string`, { pointer: `/${field}` });
  return value;
}

/**
 * An optional string field of a body (absent or null → undefined).
 *
 * @example
 * const reason = optionalString(body, "reason");
 */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new HttpError(400, "FIELD_INVALID", `${field} must be a string`, { pointer: `/${field}` });
  return value;
}
