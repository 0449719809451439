// The OpenAI adapter against the mock upstream over real HTTP: exact usage and cost per shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockLlm, type MockLlm } from "../../../scripts/lib/mock-llm.ts";
import { openAICompletion } from "../../../scripts/lib/mock-llm-wire.ts";
import { openAITranslator } from "../../src/llm/openai.ts";
import type { ModelCall } from "../../src/llm/types.ts";
import { callOk, context, contentOf, KEY } from "./helpers.ts";

let mock: MockLlm;
beforeAll(async () => void (mock = await startMockLlm()));
afterAll(() => mock.close());

const PRICES = { input: 2.5, cachedInput: 1.25, output: 10 };
const call = (model: string, extra: Partial<ModelCall> = {}): ModelCall => ({ provider: "openai", model, baseUrl: `${mock.url}/v1`, apiKeySecret: "TEST_KEY", prices: PRICES, ...extra });
const ctx = () => context([mock.url]);
const ask = (stream: boolean, extra = {}) => ({ model: "chat-model", messages: [{ role: "user", content: "Say hello" }], stream, ...extra });
const last = () => mock.requests.at(-1)!;

describe("OpenAI upstream, streaming", () => {
  it("asks for usage, strips the usage-only chunk the client did not ask for, and records exact usage and cost", async () => {
    const { payloads, record, response } = await callOk(call("normal"), ask(true), ctx());
    expect(last().body.stream_options).toEqual({ include_usage: true });
    expect(last().headers.authorization).toBe(`Bearer ${KEY}`);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("x-upstream-secret-header")).toBeNull();
    expect(payloads).toHaveLength(8);
    expect(payloads.at(-1)).toBe("[DONE]");
    expect(payloads.some((p) => p.includes('"usage"'))).toBe(false);
    expect(contentOf(payloads)).toBe("Hello from the mock upstream.");
    expect(record).toMatchObject({ variant: "v", provider: "openai", model: "normal", status: 200, finishReason: "stop" });
    expect(record.usage).toEqual({ inputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0, source: "provider" });
    expect(record.cost).toBe((25 * 2.5 + 7 * 10) / 1e6);
    expect(record.truncated).toBeUndefined();
    expect(record.ttftMs).toBeGreaterThan(0);
    expect(record.latencyMs).toBeGreaterThanOrEqual(record.ttftMs!);
  });

  it("passes the usage chunk on when the client asked for it", async () => {
    const { payloads, record } = await callOk(call("normal"), ask(true, { stream_options: { include_usage: true } }), ctx());
    expect(payloads).toHaveLength(9);
    const usage = JSON.parse(payloads[7]!);
    expect(usage.choices).toEqual([]);
    expect(usage.usage.prompt_tokens).toBe(25);
    expect(record.usage?.source).toBe("provider");
  });

  it("prices cached tokens at their price: prompt_tokens includes them", async () => {
    const { record } = await callOk(call("cached"), ask(true), ctx());
    expect(record.usage).toEqual({ inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 0, outputTokens: 50, reasoningTokens: 0, source: "provider" });
    expect(record.cost).toBe((200 * 2.5 + 1000 * 1.25 + 50 * 10) / 1e6);
  });

  it("counts reasoning tokens inside the output, once", async () => {
    const { record } = await callOk(call("reasoning"), ask(true), ctx());
    expect(record.usage).toMatchObject({ outputTokens: 300, reasoningTokens: 256 });
    expect(record.cost).toBe((25 * 2.5 + 300 * 10) / 1e6);
  });

  it("takes usage from the finish chunk and removes it there when the client did not ask", async () => {
    const { payloads, record } = await callOk(call("usage-in-finish"), ask(true), ctx());
    expect(payloads.some((p) => p.includes('"usage"'))).toBe(false);
    expect(record.usage).toMatchObject({ inputTokens: 25, outputTokens: 7, source: "provider" });
  });

  it("estimates usage (one token per 4 characters, rounded up) when a compatible server reports none", async () => {
    const { record } = await callOk(call("no-usage", { provider: "openai-compatible" }), ask(true), ctx());
    // Input "Say hello" = 9 characters → 3; output "Hello from the mock upstream." = 29 → 8.
    expect(record.usage).toEqual({ inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 8, reasoningTokens: 0, source: "estimated" });
    expect(record.finishReason).toBe("stop");
  });

  it("relays tool calls and their finish reason", async () => {
    const { payloads, record } = await callOk(call("tools"), ask(true), ctx());
    const args = payloads.filter((p) => p !== "[DONE]").map((p) => JSON.parse(p).choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? "").join("");
    expect(args).toBe('{"city":"Paris"}');
    expect(record.finishReason).toBe("tool_calls");
    expect(record.usage).toMatchObject({ inputTokens: 60, outputTokens: 15 });
    expect(record.ttftMs).toBeGreaterThan(0);
  });

  it("measures time to first token from the first non-empty content", async () => {
    const { record } = await callOk(call("slow-event:120"), ask(true), ctx());
    expect(record.ttftMs).toBeGreaterThanOrEqual(115);
  });
});

describe("OpenAI upstream, JSON", () => {
  it("passes the answer on as the upstream wrote it, ttft = latency", async () => {
    const { json, record } = await callOk(call("cached"), ask(false), ctx());
    expect(json).toEqual(openAICompletion("cached", "cached"));
    expect(last().body.stream_options).toBeUndefined();
    expect(record.usage).toMatchObject({ inputTokens: 200, cachedInputTokens: 1000, outputTokens: 50, source: "provider" });
    expect(record.cost).toBe((200 * 2.5 + 1000 * 1.25 + 50 * 10) / 1e6);
    expect(record.ttftMs).toBe(record.latencyMs);
  });

  it("rewrites for the variant: model, system, template, params; metadata never goes upstream", async () => {
    const variant = call("normal", {
      system: { mode: "replace", text: "You are terse ({{tone}})." },
      template: "Question: {{input}}\nAnswer in {{lang}}.",
      params: { temperature: 0.2, maxTokens: 64, stop: ["\n\n"] },
    });
    const request = {
      model: "chat-model",
      messages: [{ role: "system", content: "old" }, { role: "user", content: "first" }, { role: "assistant", content: "ok" }, { role: "user", content: "Why?" }],
      temperature: 1,
      max_tokens: 500,
      metadata: { tone: "dry", lang: "French" },
      user: "subject-1",
      logit_bias: { "42": 1 },
    };
    await callOk(variant, request, ctx());
    expect(last().body).toEqual({
      model: "normal",
      messages: [{ role: "system", content: "You are terse (dry)." }, { role: "user", content: "first" }, { role: "assistant", content: "ok" }, { role: "user", content: "Question: Why?\nAnswer in French." }],
      temperature: 0.2,
      max_completion_tokens: 64,
      stop: ["\n\n"],
      user: "subject-1",
      logit_bias: { "42": 1 },
    });
  });

  it("sends params.maxTokens as max_tokens to an openai-compatible server", async () => {
    await callOk(call("normal", { provider: "openai-compatible", params: { maxTokens: 32 } }), ask(false, { max_completion_tokens: 9 }), ctx());
    expect(last().body.max_tokens).toBe(32);
    expect(last().body.max_completion_tokens).toBeUndefined();
  });
});

describe("OpenAI-compatible chunks that carry an empty error field", () => {
  it('"error": null on a content chunk is no error: the content passes and the stream is not cut', () => {
    const t = openAITranslator(false);
    const out = t.translate({ data: JSON.stringify({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }], error: null }) });
    expect(out.length).toBe(1);
    expect(t.tally.error).toBeUndefined();
    expect(t.tally.outputChars).toBe(2);
  });
});
