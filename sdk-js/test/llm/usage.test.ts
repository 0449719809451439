// Usage, cost and error mapping as pure functions.
import { describe, expect, it } from "vitest";
import { errorResponse, upstreamError } from "../../src/llm/errors.ts";
import { anthropicUsage, costOf, openAIUsage, settleUsage } from "../../src/llm/usage.ts";

describe("usage and cost", () => {
  it("cached input and cache writes default to the input price", () => {
    const usage = { inputTokens: 100, cachedInputTokens: 40, cacheWriteTokens: 10, outputTokens: 20, reasoningTokens: 0 };
    expect(costOf(usage, { input: 2, output: 8 })).toBe((100 * 2 + 40 * 2 + 10 * 2 + 20 * 8) / 1e6);
    expect(costOf(usage, undefined)).toBeUndefined();
  });

  it("reads OpenAI usage without details, and none when there is none", () => {
    expect(openAIUsage({ prompt_tokens: 10, completion_tokens: 4 })).toEqual({ inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 4, reasoningTokens: 0 });
    expect(openAIUsage(null)).toBeUndefined();
    expect(openAIUsage({ prompt_tokens: -1, completion_tokens: "4" })).toBeUndefined();
  });

  it("keeps Anthropic's last cumulative count, and each field it does not resend", () => {
    let u = anthropicUsage({ input_tokens: 30, cache_read_input_tokens: 5, output_tokens: 1 });
    for (const output_tokens of [4, 9, 12]) u = anthropicUsage({ output_tokens }, u);
    expect(u).toEqual({ inputTokens: 30, cachedInputTokens: 5, cacheWriteTokens: 0, outputTokens: 12, reasoningTokens: 0 });
  });

  it("settles: provider when complete, partial when cut after a report, estimated otherwise", () => {
    const reported = { inputTokens: 30, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 };
    expect(settleUsage({ reported, outputChars: 40, inputChars: 0 }, true)).toEqual({ ...reported, source: "provider" });
    expect(settleUsage({ reported, outputChars: 40, inputChars: 0 }, false)).toEqual({ ...reported, outputTokens: 10, source: "partial" });
    expect(settleUsage({ outputChars: 41, inputChars: 7 }, false)).toEqual({ inputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 11, reasoningTokens: 0, source: "estimated" });
  });
});

describe("counts the event schema cannot hold are not counts", () => {
  it("a fractional, negative or astronomical token count is ignored (a Tokens field is an integer up to 1e12: one past it and the Queue sink refuses the whole execution)", () => {
    expect(openAIUsage({ prompt_tokens: 1.5, completion_tokens: 1e13 })).toBeUndefined();
    expect(openAIUsage({ prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 0.5 }, completion_tokens_details: { reasoning_tokens: -1 } })).toEqual({ inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0 });
    const start = anthropicUsage({ input_tokens: 20, output_tokens: 1 });
    expect(anthropicUsage({ output_tokens: 2.5 }, start).outputTokens).toBe(1);
    expect(anthropicUsage({ output_tokens: 1e12 }, start).outputTokens).toBe(1e12);
  });
});

describe("upstreamError", () => {
  it("keeps a text body out and names the status; hides the key; cuts long messages", () => {
    expect(upstreamError(502, "<html>Bad gateway</html>", "k")).toEqual({ message: "upstream answered 502", type: "upstream_error", param: null, code: null });
    expect(upstreamError(400, JSON.stringify({ error: { message: "bad key sk-1 here sk-1", param: "messages", code: 12 } }), "sk-1")).toEqual({ message: "bad key *** here ***", type: "invalid_request_error", param: "messages", code: "12" });
    // The event schema's error maxLength is 1000: "…" is the 1000th character, never a 1001st.
    expect(upstreamError(500, JSON.stringify({ error: { message: "x".repeat(5000) } }), undefined).message).toBe(`${"x".repeat(999)}…`);
    expect(upstreamError(500, JSON.stringify({ error: { message: "a\ud800b\ud83d\ude80" } }), undefined).message).toBe("a\ufffdb\ud83d\ude80");
    expect(upstreamError(404, JSON.stringify({ error: "model not found" }), undefined)).toMatchObject({ message: "model not found", type: "not_found_error" });
  });
});

describe("errorResponse", () => {
  it("answers OpenAI's error shape with the status, param null when absent", async () => {
    const response = errorResponse(429, { message: "slow down", type: "rate_limit_error", code: "rate_limited" });
    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ error: { message: "slow down", type: "rate_limit_error", param: null, code: "rate_limited" } });
  });
});
