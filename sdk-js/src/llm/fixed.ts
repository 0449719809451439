/**
 * The `fixed` provider calls nobody: it answers the variant's `answer`, as a chat.completion or
 * as a short stream (role chunk, content chunk, finish chunk, the usage chunk when the client
 * asked for it, `[DONE]`), through the same relay as the real upstreams. Its usage is estimated
 * (one token per 4 characters, rounded up: the input from the request's text, the output from
 * the answer), its cost 0 unless the variant has prices.
 *
 * @module
 */
import { timeoutOf } from "./adapter.ts";
import type { Recorder } from "./record.ts";
import { relay } from "./relay.ts";
import { openAITranslator, tallyCompletion } from "./openai.ts";
import type { SseEvent, SseReader } from "./sse.ts";
import { estimateTokens, requestChars, toOpenAIUsage } from "./usage.ts";
import type { AttemptResult, ChatRequest, ModelCall } from "./types.ts";

/** A reader over events already in hand. */
function listReader(events: SseEvent[]): SseReader {
  let i = 0;
  return { next: async () => events[i++], cancel: async () => void (i = events.length) };
}

/**
 * The fixed answer for a rewritten request.
 *
 * @example
 * await answerFixed({ provider: "fixed", answer: "42" }, { messages: [{ role: "user", content: "?" }] }, recorder, Date.now);
 */
export async function answerFixed(call: ModelCall, request: ChatRequest, rec: Recorder, now: () => number): Promise<AttemptResult> {
  const started = now();
  const answer = call.answer ?? "";
  const head = { id: `chatcmpl-${crypto.randomUUID()}`, created: Math.floor(started / 1000), model: call.model ?? "fixed" };
  const promptTokens = estimateTokens(requestChars(request));
  const usage = toOpenAIUsage({ inputTokens: promptTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: estimateTokens(answer.length), reasoningTokens: 0 });
  if (request.stream !== true) {
    const message = { role: "assistant", content: answer, refusal: null };
    const body = { ...head, object: "chat.completion", choices: [{ index: 0, message, logprobs: null, finish_reason: "stop" }], usage };
    const record = rec.finish(tallyCompletion(body), { complete: true, latencyMs: now() - started, ttftMs: now() - started });
    return { ok: true, response: Response.json(body), record: Promise.resolve(record) };
  }
  const chunk = (choices: unknown[], extra = {}): SseEvent => ({ data: JSON.stringify({ ...head, object: "chat.completion.chunk", choices, ...extra }) });
  const choice = (delta: object, finish: string | null = null) => [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  const events = [chunk(choice({ role: "assistant", content: "" })), chunk(choice({ content: answer })), chunk(choice({}, "stop")), chunk([], { usage }), { data: "[DONE]" }];
  return relay({
    reader: listReader(events),
    translator: openAITranslator(request.stream_options?.include_usage === true),
    recorder: rec,
    now,
    started,
    deadline: started + timeoutOf(call),
    timeoutMs: timeoutOf(call),
    abort: () => undefined,
  });
}
