/**
 * Token accounting and cost. The two providers count differently: OpenAI's `prompt_tokens`
 * INCLUDES the cached tokens (`prompt_tokens_details.cached_tokens`), Anthropic's `input_tokens`
 * EXCLUDES cache reads and writes; both count reasoning inside the output. `Usage` holds input
 * without cache, so cost = (input·p_in + cached·p_cached + cacheWrite·p_write + output·p_out) / 1e6.
 *
 * When the upstream reported nothing, tokens are estimated at one per 4 characters of text
 * (UTF-16 code units, rounded up): the output from the content and tool-call arguments seen, the
 * input from the text of the request's messages.
 *
 * @module
 */
import type { ChatRequest, ModelCall, Usage } from "./types.ts";

/** Token counts before we know how they were obtained. */
export type Counts = Omit<Usage, "source">;

const ZERO: Counts = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
/** The most tokens an event's Tokens field holds (event.v1.json). */
const MAX_TOKENS = 1e12;
/** A token count as the event schema takes it (an integer in [0, 1e12]); anything else an upstream says is no count. */
const count = (v: unknown): number | undefined => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_TOKENS ? (v as number) : undefined);
const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

/**
 * Counts from OpenAI's `usage` object; undefined when it has none.
 *
 * @example
 * openAIUsage({ prompt_tokens: 1200, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 1000 } });
 * // { inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 0, outputTokens: 50, reasoningTokens: 0 }
 */
export function openAIUsage(usage: unknown): Counts | undefined {
  const u = obj(usage);
  const prompt = count(u.prompt_tokens);
  const completion = count(u.completion_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const cached = count(obj(u.prompt_tokens_details).cached_tokens) ?? 0;
  return {
    inputTokens: Math.max(0, (prompt ?? 0) - cached),
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: completion ?? 0,
    reasoningTokens: count(obj(u.completion_tokens_details).reasoning_tokens) ?? 0,
  };
}

/**
 * Anthropic's `usage` laid over what was known: each field present replaces the old value (its
 * `output_tokens` is cumulative, so the last one wins and nothing is summed).
 *
 * @example
 * const start = anthropicUsage({ input_tokens: 200, cache_read_input_tokens: 1000, output_tokens: 1 });
 * anthropicUsage({ output_tokens: 50 }, start).outputTokens; // 50
 */
export function anthropicUsage(usage: unknown, known: Counts = ZERO): Counts {
  const u = obj(usage);
  return {
    inputTokens: count(u.input_tokens) ?? known.inputTokens,
    cachedInputTokens: count(u.cache_read_input_tokens) ?? known.cachedInputTokens,
    cacheWriteTokens: count(u.cache_creation_input_tokens) ?? known.cacheWriteTokens,
    outputTokens: count(u.output_tokens) ?? known.outputTokens,
    reasoningTokens: known.reasoningTokens,
  };
}

/** OpenAI's `usage` object for counts we hold (an Anthropic answer, a fixed one). */
export function toOpenAIUsage(c: Counts): Record<string, unknown> {
  const prompt = c.inputTokens + c.cachedInputTokens + c.cacheWriteTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: c.outputTokens,
    total_tokens: prompt + c.outputTokens,
    prompt_tokens_details: { cached_tokens: c.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: c.reasoningTokens },
  };
}

/**
 * Tokens for a text length: one per 4 characters, rounded up.
 *
 * @example
 * estimateTokens(9); // 3
 */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/** Characters of the request's message text (string contents, text parts, tool-call arguments). */
export function requestChars(request: ChatRequest): number {
  let chars = 0;
  for (const m of request.messages) {
    if (typeof m.content === "string") chars += m.content.length;
    else if (Array.isArray(m.content)) for (const p of m.content) if (p.type === "text" && typeof p.text === "string") chars += p.text.length;
    for (const call of m.tool_calls ?? []) chars += call.function.arguments.length;
  }
  return chars;
}

/** What a call saw, for `settleUsage`. */
export interface Seen {
  /** What the upstream reported (possibly only the input, before a cut). */
  reported?: Counts;
  /** Characters of output text seen (content and tool-call arguments). */
  outputChars: number;
  /** Characters of input text sent. */
  inputChars: number;
}

/**
 * The usage of a finished or cut call: `provider` when complete and reported; `partial` when cut
 * after the upstream reported some counts (the output is then the larger of its last count and the
 * estimate from the text seen, since its count lags the text); `estimated` when nothing was reported.
 *
 * @example
 * settleUsage({ outputChars: 10, inputChars: 40 }, true).source; // "estimated"
 */
export function settleUsage(seen: Seen, complete: boolean): Usage {
  const estimated = estimateTokens(seen.outputChars);
  if (!seen.reported) return { ...ZERO, inputTokens: estimateTokens(seen.inputChars), outputTokens: estimated, source: "estimated" };
  if (complete) return { ...seen.reported, source: "provider" };
  return { ...seen.reported, outputTokens: Math.max(seen.reported.outputTokens, estimated), source: "partial" };
}

/**
 * USD from the variant's prices (per million tokens); undefined without prices. Cached input and
 * cache writes default to the input price.
 *
 * @example
 * costOf({ inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 0, outputTokens: 50, reasoningTokens: 0, source: "provider" },
 *   { input: 2.5, cachedInput: 1.25, output: 10 }); // (200*2.5 + 1000*1.25 + 0*2.5 + 50*10) / 1e6
 */
export function costOf(usage: Counts, prices: ModelCall["prices"]): number | undefined {
  if (!prices) return undefined;
  const cached = prices.cachedInput ?? prices.input;
  const write = prices.cacheWrite ?? prices.input;
  return (usage.inputTokens * prices.input + usage.cachedInputTokens * cached + usage.cacheWriteTokens * write + usage.outputTokens * prices.output) / 1e6;
}
