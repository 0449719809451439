/**
 * Reading a chat completion request: the body (at most `maxBodyBytes`, counted as it streams in),
 * its JSON (nesting at most `maxDepth`, no lone surrogates), the messages (at most `maxMessages`),
 * and who and what it routes: the flag (`model`, or the `x-edgeflag-flag` header), the subject
 * (`user`, or `x-edgeflag-subject`) and the subject's attributes (`x-edgeflag-attributes`, a JSON
 * object of scalars, at most 2 KiB). Every refusal is an OpenAI-shaped 4xx naming the field.
 *
 * @module
 */
import { readLimitedBody } from "./limited-body.ts";
import { pointer } from "@edgeflag/config-schema";
import type { AttributeValue } from "../core/index.ts";
import { invalid, RouterError } from "./errors.ts";
import { findJsonProblem } from "./json-walk.ts";

/** The request limits of the router (see RouterLimits in router.ts for the defaults). */
export interface RequestLimits {
  maxBodyBytes: number;
  maxMessages: number;
  maxDepth: number;
}

/** A chat request once read: the body for the upstream and what routes it. */
export interface ChatRequest {
  body: Record<string, unknown>;
  flag: string;
  subject: string;
  attributes: Record<string, AttributeValue>;
  stream: boolean;
}

/** The most bytes of `x-edgeflag-attributes`. */
const MAX_ATTRIBUTE_BYTES = 2048;
const MAX_SUBJECT = 256;
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body's bytes, cut off at the limit as they stream in (a false Content-Length changes nothing). */
function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  return readLimitedBody(request, maxBytes, () => new RouterError(413, { message: `the body is larger than ${maxBytes} bytes`, type: "invalid_request_error", param: null, code: "request_too_large" }));
}

/** The body as a JSON object, checked for depth and lone surrogates. */
async function readJson(request: Request, limits: RequestLimits): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(await readBody(request, limits.maxBodyBytes)));
  } catch (e) {
    if (e instanceof RouterError) throw e;
    throw invalid(null, "", "the body is not UTF-8 JSON", "invalid_json");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid(null, "", "the body must be a JSON object", "invalid_body");
  const problem = findJsonProblem(body, limits.maxDepth);
  if (problem !== null) {
    const param = problem.pointer.split("/")[1] ?? null;
    const what = problem.kind === "too_deep" ? `nests deeper than ${limits.maxDepth} levels` : "holds a lone UTF-16 surrogate";
    throw invalid(param, problem.pointer, `the body ${what}`, problem.kind === "too_deep" ? "too_deep" : "invalid_string");
  }
  return body as Record<string, unknown>;
}

function checkMessages(messages: unknown, max: number): void {
  if (!Array.isArray(messages) || messages.length === 0) throw invalid("messages", "/messages", "messages must be a non-empty array", "invalid_messages");
  if (messages.length > max) throw invalid("messages", "/messages", `messages holds ${messages.length} entries; at most ${max} are accepted`, "too_many_messages");
  messages.forEach((m, i) => {
    if (typeof m !== "object" || m === null || Array.isArray(m)) throw invalid("messages", pointer("messages", String(i)), "each message must be an object", "invalid_messages");
    if (typeof (m as { role?: unknown }).role !== "string") throw invalid("messages", pointer("messages", String(i), "role"), "each message needs a string role", "invalid_messages");
  });
}

/** The flag: the `x-edgeflag-flag` header, else the body's `model`. */
function flagOf(request: Request, body: Record<string, unknown>): string {
  const header = request.headers.get("x-edgeflag-flag");
  if (header !== null && header.trim() !== "") return header.trim();
  if (typeof body.model !== "string" || body.model === "") throw invalid("model", "/model", "model must be a non-empty string naming the flag to route by", "invalid_model");
  return body.model;
}

/** The subject: the body's `user`, else `x-edgeflag-subject`; 400 subject_required without one. */
function subjectOf(request: Request, body: Record<string, unknown>): string {
  if (body.user !== undefined && typeof body.user !== "string") throw invalid("user", "/user", "user must be a string", "invalid_user");
  const fromBody = typeof body.user === "string" && body.user !== "";
  const subject = fromBody ? (body.user as string) : (request.headers.get("x-edgeflag-subject")?.trim() ?? "");
  if (subject === "") {
    throw new RouterError(400, { message: "no subject: send `user` in the body or an x-edgeflag-subject header, so that the caller stays on one variant", type: "invalid_request_error", param: "user", code: "subject_required" });
  }
  const [param, at] = fromBody ? ["user", "/user"] : ["x-edgeflag-subject", "x-edgeflag-subject"];
  if (subject.length > MAX_SUBJECT) throw invalid(param, at, `the subject is longer than ${MAX_SUBJECT} characters`, "invalid_user");
  return subject;
}

/** The attributes of `x-edgeflag-attributes`: a JSON object of strings, numbers, booleans or nulls. */
function attributesOf(request: Request): Record<string, AttributeValue> {
  const header = request.headers.get("x-edgeflag-attributes");
  if (header === null) return {};
  const bad = (message: string, at = "") => invalid("x-edgeflag-attributes", `x-edgeflag-attributes${at}`, message, "invalid_attributes");
  if (new TextEncoder().encode(header).byteLength > MAX_ATTRIBUTE_BYTES) throw bad(`the header is larger than ${MAX_ATTRIBUTE_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    throw bad("the header is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad("the header must be a JSON object");
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && !["string", "number", "boolean"].includes(typeof v)) throw bad("each attribute must be a string, number, boolean or null", pointer(key));
  }
  // JSON's \ud800 escapes survive a header's Latin-1: an attribute D1 could not store is refused here.
  const problem = findJsonProblem(value, 1);
  if (problem !== null) throw new RouterError(400, { message: `the attribute holds a lone UTF-16 surrogate (at x-edgeflag-attributes${problem.pointer})`, type: "invalid_request_error", param: "x-edgeflag-attributes", code: "invalid_attributes" });
  return value as Record<string, AttributeValue>;
}

/**
 * Reads and checks a chat completion request.
 *
 * @example
 * const chat = await readChatRequest(request, { maxBodyBytes: 1 << 20, maxMessages: 1000, maxDepth: 64 });
 */
export async function readChatRequest(request: Request, limits: RequestLimits): Promise<ChatRequest> {
  const attributes = attributesOf(request);
  const body = await readJson(request, limits);
  checkMessages(body.messages, limits.maxMessages);
  if (body.stream !== undefined && typeof body.stream !== "boolean") throw invalid("stream", "/stream", "stream must be a boolean", "invalid_stream");
  return { body, flag: flagOf(request, body), subject: subjectOf(request, body), attributes, stream: body.stream === true };
}
