/**
 * OpenAI and openai-compatible upstreams: `POST {baseUrl}/chat/completions` with
 * `Authorization: Bearer`. The request passes through as rewritten; a stream always asks for
 * usage (`stream_options.include_usage`), and the usage-only last chunk is taken out of what the
 * client receives unless the client asked for it. JSON answers pass on as the upstream wrote them.
 *
 * @module
 */
import type { Adapter } from "./adapter.ts";
import { newTally, type Tally } from "./record.ts";
import type { Translator } from "./relay.ts";
import { openAIUsage } from "./usage.ts";
import type { ChatRequest } from "./types.ts";

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Characters of content, refusal and tool-call arguments in a message or a delta. */
function textChars(m: Record<string, unknown>): number {
  let chars = 0;
  for (const v of [m.content, m.refusal]) if (typeof v === "string") chars += v.length;
  for (const call of list(m.tool_calls)) {
    const args = obj(obj(call).function).arguments;
    if (typeof args === "string") chars += args.length;
  }
  return chars;
}

/** The tally of a whole chat.completion (its first choice's finish reason). */
export function tallyCompletion(body: unknown): Tally {
  const tally = newTally();
  const b = obj(body);
  tally.reported = openAIUsage(b.usage);
  for (const choice of list(b.choices)) tally.outputChars += textChars(obj(obj(choice).message));
  const finish = obj(list(b.choices)[0]).finish_reason;
  if (typeof finish === "string") tally.finishReason = finish;
  tally.done = true;
  return tally;
}

/**
 * Relays OpenAI chunks: usage and finish reasons are tallied; a `usage` the client did not ask
 * for is removed (a usage-only chunk entirely, a `usage` field from other chunks).
 *
 * @example
 * const t = openAITranslator(false);
 * t.translate({ data: '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}' }); // []
 */
export function openAITranslator(includeUsage: boolean): Translator {
  const tally = newTally();
  return {
    tally,
    translate(event) {
      if (event.data === "[DONE]") {
        tally.done = true;
        return [];
      }
      let chunk: Record<string, unknown>;
      try {
        chunk = obj(JSON.parse(event.data));
      } catch {
        return [];
      }
      if (chunk.error != null || event.event === "error") {
        const e = obj(chunk.error);
        const str = (v: unknown, d: string) => (typeof v === "string" ? v : d);
        tally.error = { message: str(e.message, "the upstream sent an error event"), type: str(e.type, "upstream_error"), code: typeof e.code === "string" ? e.code : null };
        return [];
      }
      const choices = list(chunk.choices);
      if (chunk.usage != null) tally.reported = openAIUsage(chunk.usage) ?? tally.reported;
      for (const choice of choices) {
        const c = obj(choice);
        tally.outputChars += textChars(obj(c.delta));
        if (typeof c.finish_reason === "string" && tally.finishReason === undefined) tally.finishReason = c.finish_reason;
      }
      if (includeUsage || !("usage" in chunk)) return [event.data];
      if (choices.length === 0) return [];
      delete chunk.usage;
      return [JSON.stringify(chunk)];
    },
  };
}

/** The body an OpenAI-style upstream gets: the rewritten request, asking for usage when streaming. */
export function openAIBody(request: ChatRequest): ChatRequest {
  return request.stream === true ? { ...request, stream_options: { ...request.stream_options, include_usage: true } } : request;
}

/** OpenAI's and openai-compatible servers' wire format. */
export const openAIAdapter: Adapter = {
  path: "/chat/completions",
  headers: (key): Record<string, string> => (key === undefined ? {} : { authorization: `Bearer ${key}` }),
  body: openAIBody,
  json: (body) => ({ body, tally: tallyCompletion(body) }),
  translator: (request) => openAITranslator(request.stream_options?.include_usage === true),
};
