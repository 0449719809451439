/**
 * The provider adapters' entry point as the router calls it (sdk-js/src/llm/types.ts). Until the
 * adapters land (branch providers14), this answers the `fixed` provider only, as a chat
 * completion (JSON, or SSE ending in `data: [DONE]`), and refuses the others with a 501.
 *
 * @module
 */
import type { AttemptRecord, AttemptResult, CallContext, ModelCall } from "../llm/types.ts";

const encoder = new TextEncoder();

/** The chat completion (or its stream) that answers `text`. */
function completion(text: string, model: string, stream: boolean): Response {
  const base = { id: `chatcmpl-${crypto.randomUUID()}`, created: 0, model };
  if (!stream) {
    const body = { ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } };
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  }
  const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const sse = chunk({ role: "assistant", content: text }, null) + chunk({}, "stop") + "data: [DONE]\n\n";
  return new Response(encoder.encode(sse), { headers: { "content-type": "text/event-stream" } });
}

/**
 * Calls one variant's model.
 *
 * @example
 * const result = await callModel(call, body, ctx, { variant: "fixed" });
 */
export async function callModel(call: ModelCall, request: Record<string, unknown>, ctx: CallContext, options: { variant: string; signal?: AbortSignal }): Promise<AttemptResult> {
  const started = ctx.now();
  const base = { variant: options.variant, provider: call.provider, ...(call.model !== undefined && { model: call.model }) };
  if (call.provider !== "fixed") {
    const record: AttemptRecord = { ...base, status: 0, latencyMs: 0, error: "provider adapters not available" };
    return { ok: false, retryable: false, status: 501, error: { message: `provider ${call.provider} is not available in this build`, type: "api_error", code: "provider_unavailable" }, record };
  }
  const usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, source: "estimated" as const };
  const record: AttemptRecord = { ...base, status: 200, latencyMs: ctx.now() - started, ttftMs: ctx.now() - started, usage, finishReason: "stop", truncated: false, cost: 0 };
  return { ok: true, response: completion(call.answer ?? "", call.model ?? "fixed", request.stream === true), record: Promise.resolve(record) };
}
