/**
 * `callModel`: one attempt at one variant's upstream. It rewrites the request for the variant,
 * checks the key may go where the variant points (refused before any fetch otherwise), calls the
 * upstream with a timeout to the first byte, and answers in OpenAI's shape with the attempt's record.
 *
 * Outcomes before anything reached the client are `ok: false`, whose `status` is the one to answer
 * the client with and whose `record.status` is the upstream's (0 when it gave none): retryable
 * for 5xx, 429, a timeout (504) and a network failure or an empty stream (502); not retryable for
 * other 4xx (the upstream's message with its status, except 401, 402, 403, 404 and 407, which are
 * about the variant's key or model and answer 502 upstream_refused), a redirect (502: redirects are never
 * followed, so a key cannot travel with one), a caller that gave up (499), and the variant's own
 * faults, which are the operator's and not the caller's: an unset secret, a secret pointed at an
 * origin not allowed for it, a missing base URL (500, `server_error`, naming the secret or field,
 * never a key). A body callModel cannot read, or one the variant cannot send (an unknown template
 * variable, a field Anthropic lacks), is a 400 `invalid_request_error` with the field's pointer.
 *
 * `timeoutMs` runs from the request to the response headers plus the first SSE event (for a JSON
 * answer, plus the whole body: OpenAI and Anthropic send a JSON answer's headers only once it is
 * complete anyway).
 *
 * @module
 */
import { checkChatRequest } from "./check-request.ts";
import { endpoint, timeoutOf, type Adapter } from "./adapter.ts";
import { anthropicAdapter } from "./anthropic.ts";
import { isRetryableStatus, ModelRequestError, upstreamError } from "./errors.ts";
import { answerFixed } from "./fixed.ts";
import { openAIAdapter } from "./openai.ts";
import { recorder, type Recorder } from "./record.ts";
import { relay } from "./relay.ts";
import { rewriteRequest } from "./rewrite.ts";
import { readSse } from "./sse.ts";
import { requestChars } from "./usage.ts";
import type { AttemptResult, CallContext, CallOptions, ChatRequest, ModelCall } from "./types.ts";

const ADAPTERS: Record<Exclude<ModelCall["provider"], "fixed">, Adapter> = { openai: openAIAdapter, "openai-compatible": openAIAdapter, anthropic: anthropicAdapter };

/** The most of an upstream's error body that is read. */
const MAX_ERROR_BYTES = 64 * 1024;

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    text += decoder.decode(r.value, { stream: true });
    if (text.length > MAX_ERROR_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return text;
}

const serverError = (rec: Recorder, message: string, code: string) => rec.fail(0, 500, false, { message, type: "server_error", code }, 0);

/** The URL and the key, or the refusal: the key is read only for an allowed origin. */
function target(call: ModelCall, adapter: Adapter, ctx: CallContext, rec: Recorder): { url: URL; key?: string } | AttemptResult {
  const url = endpoint(call, adapter.path);
  if (!url) return serverError(rec, `the variant's baseUrl is ${call.baseUrl === undefined ? "missing" : "not an http(s) URL"}`, "invalid_base_url");
  const name = call.apiKeySecret;
  if (name === undefined) return { url };
  if (!ctx.allowedOrigins(name).includes(url.origin)) return serverError(rec, `the secret ${name} may not be sent to ${url.origin}: it is not among the origins allowed for it`, "origin_not_allowed");
  const key = ctx.secret(name);
  if (key === undefined || key === "") return serverError(rec, `the secret ${name} is not set`, "secret_missing");
  return { url, key };
}

/**
 * Calls one variant's upstream for a chat.completions request.
 *
 * @example
 * const result = await callModel(
 *   { provider: "openai", model: "gpt-4o-mini", apiKeySecret: "OPENAI_API_KEY", prices: { input: 0.15, output: 0.6 } },
 *   { model: "chat-model", messages: [{ role: "user", content: "Hello" }], stream: true },
 *   { fetch, secret: (n) => env[n], allowedOrigins: () => ["https://api.openai.com"], now: Date.now },
 *   { variant: "small" },
 * );
 * if (result.ok) return result.response; // and ctx.waitUntil(result.record.then(log))
 */
export async function callModel(call: ModelCall, request: ChatRequest, ctx: CallContext, options: CallOptions): Promise<AttemptResult> {
  const started = ctx.now();
  let rewritten: ChatRequest;
  let body: unknown;
  const adapter = call.provider === "fixed" ? undefined : ADAPTERS[call.provider];
  try {
    checkChatRequest(request);
    rewritten = rewriteRequest(call, request);
    body = adapter?.body(rewritten);
  } catch (e) {
    if (!(e instanceof ModelRequestError)) throw e;
    return recorder(call, options.variant, 0).fail(0, 400, false, { message: e.message, type: "invalid_request_error", code: e.code, param: e.param }, ctx.now() - started);
  }
  const rec = recorder(call, options.variant, requestChars(rewritten), call.provider === "fixed" ? "estimated" : undefined);
  if (!adapter) return answerFixed(call, rewritten, rec, () => ctx.now());
  const found = target(call, adapter, ctx, rec);
  if ("ok" in found) return found;
  return send(call, rewritten, body, adapter, found, { ctx, rec, started, signal: options.signal });
}

/** An upstream's non-2xx answer as an `ok: false` result. */
function refused(status: number, text: string, key: string | undefined, rec: Recorder, latencyMs: number): AttemptResult {
  if (status === 0 || (status >= 300 && status < 400)) {
    return rec.fail(status, 502, false, { message: "the upstream answered with a redirect, which is not followed", type: "upstream_error", code: "upstream_redirect" }, latencyMs);
  }
  const error = upstreamError(status, text, key);
  // The upstream refusing OUR key, or not knowing the variant's model, is the operator's fault:
  // passed on as 401/403/404 it would tell an OpenAI client that its router key or model is wrong.
  if (OPERATOR_FAULTS.includes(status)) {
    return rec.fail(status, 502, false, { message: `the upstream answered ${status}: ${error.message}`, type: "upstream_error", code: "upstream_refused" }, latencyMs);
  }
  return rec.fail(status, status, isRetryableStatus(status), error, latencyMs);
}

/** Upstream statuses about the variant's key or model, never the caller's request. */
const OPERATOR_FAULTS = [401, 402, 403, 404, 407];

/** A whole JSON answer, translated; its TTFT is its latency. */
function answerJson(text: string, adapter: Adapter, rec: Recorder, elapsed: () => number, nowMs: number): AttemptResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return rec.fail(200, 502, true, { message: "the upstream's answer is not JSON", type: "upstream_error", code: "upstream_invalid_json" }, elapsed());
  }
  const answer = adapter.json(json, nowMs);
  const latencyMs = elapsed();
  const record = rec.finish(answer.tally, { complete: true, latencyMs, ttftMs: latencyMs });
  return { ok: true, response: Response.json(answer.body), record: Promise.resolve(record) };
}

interface SendState {
  ctx: CallContext;
  rec: Recorder;
  started: number;
  signal?: AbortSignal;
}

async function send(call: ModelCall, request: ChatRequest, body: unknown, adapter: Adapter, to: { url: URL; key?: string }, s: SendState): Promise<AttemptResult> {
  const { ctx, rec, started } = s;
  const timeoutMs = timeoutOf(call);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (s.signal?.aborted) controller.abort();
  else s.signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const elapsed = () => ctx.now() - started;
  const stream = request.stream === true;
  const failed = (e: unknown) => {
    clearTimeout(timer);
    if (s.signal?.aborted) return rec.fail(0, 499, false, { message: "the caller cancelled the request", type: "cancelled", code: "cancelled" }, elapsed());
    if (timedOut) return rec.fail(0, 504, true, { message: `the upstream did not answer within ${timeoutMs} ms`, type: "timeout", code: "upstream_timeout" }, elapsed());
    return rec.fail(0, 502, true, { message: `the upstream could not be reached (${e instanceof Error ? e.name : "error"})`, type: "upstream_error", code: "upstream_unreachable" }, elapsed());
  };
  try {
    const headers = { "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json", ...adapter.headers(to.key) };
    const response = await ctx.fetch(to.url.href, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal, redirect: "manual" });
    if (response.status < 200 || response.status >= 300) {
      const text = await readCapped(response);
      clearTimeout(timer);
      return refused(response.status, text, to.key, rec, elapsed());
    }
    if (stream && response.body) {
      clearTimeout(timer);
      if (timedOut) return failed(undefined);
      const deadline = started + timeoutMs;
      const result = await relay({ reader: readSse(response.body), translator: adapter.translator(request, ctx.now()), recorder: rec, now: () => ctx.now(), started, deadline, timeoutMs, abort: () => controller.abort(), secret: to.key });
      return !result.ok && s.signal?.aborted ? failed(undefined) : result;
    }
    const text = await response.text();
    clearTimeout(timer);
    return answerJson(text, adapter, rec, elapsed, ctx.now());
  } catch (e) {
    return failed(e);
  }
}
