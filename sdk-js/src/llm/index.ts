/**
 * edgeflag's provider adapters: one call to an OpenAI, Anthropic, openai-compatible or fixed
 * upstream in OpenAI's chat.completions shape, streaming or not, with exact usage, cost and
 * timings. Web APIs only (fetch, ReadableStream, TextDecoder): the same code runs in Workers,
 * Node and Deno, under the router and under the offline runner.
 *
 * @example
 * import { callModel } from "@edgeflag/sdk/llm";
 * const result = await callModel(variantValue, body, { fetch, secret: (n) => env[n], allowedOrigins, now: Date.now }, { variant: "b" });
 * if (result.ok) { ctx.waitUntil(result.record.then(log)); return result.response; }
 *
 * @module
 */
export { callModel } from "./call-model.ts";
export { errorResponse, upstreamError, ModelRequestError, TRUNCATED } from "./errors.ts";
export { rewriteRequest } from "./rewrite.ts";
export { toAnthropicRequest, ANTHROPIC_DEFAULT_MAX_TOKENS } from "./anthropic-request.ts";
export { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "./adapter.ts";
export { createSseParser, readSse, sseBytes, type SseEvent, type SseParser, type SseReader } from "./sse.ts";
export { openAIUsage, anthropicUsage, costOf, estimateTokens, settleUsage, type Counts } from "./usage.ts";
export type * from "./types.ts";
