// The Anthropic adapter against the mock upstream over real HTTP: translation both ways, exact usage and cost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockLlm, type MockLlm } from "../../../scripts/lib/mock-llm.ts";
import { anthropicAdapter } from "../../src/llm/anthropic.ts";
import { callModel } from "../../src/llm/call-model.ts";
import { recorder } from "../../src/llm/record.ts";
import type { ModelCall } from "../../src/llm/types.ts";
import { callOk, context, contentOf, KEY } from "./helpers.ts";

let mock: MockLlm;
beforeAll(async () => void (mock = await startMockLlm()));
afterAll(() => mock.close());

const PRICES = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };
const call = (model: string, extra: Partial<ModelCall> = {}): ModelCall => ({ provider: "anthropic", model, baseUrl: `${mock.url}/v1`, apiKeySecret: "TEST_KEY", prices: PRICES, ...extra });
const ctx = () => context([mock.url]);
const ask = (stream: boolean, extra = {}) => ({ model: "chat-model", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello" }], stream, ...extra });
const last = () => mock.requests.at(-1)!;
const chunks = (payloads: string[]) => payloads.filter((p) => p !== "[DONE]").map((p) => JSON.parse(p));

describe("Anthropic upstream, JSON", () => {
  it("translates the request and the message, with the key only in x-api-key", async () => {
    const { json, record } = await callOk(call("normal"), ask(false, { stop: "END", user: "subject-1" }), ctx());
    expect(last().path).toBe("/v1/messages");
    expect(last().headers["x-api-key"]).toBe(KEY);
    expect(last().headers["anthropic-version"]).toBe("2023-06-01");
    expect(last().headers.authorization).toBeUndefined();
    expect(last().body).toEqual({
      model: "normal",
      max_tokens: 4096,
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Say hello" }] }],
      stop_sequences: ["END"],
      metadata: { user_id: "subject-1" },
    });
    expect(json).toMatchObject({
      id: "msg_mock",
      object: "chat.completion",
      model: "normal",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello from the mock upstream." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 25, completion_tokens: 7, total_tokens: 32, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(record.usage).toEqual({ inputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0, source: "provider" });
    expect(record.cost).toBe((25 * 3 + 7 * 15) / 1e6);
  });

  it("counts cache reads and writes apart from input (Anthropic's input_tokens excludes them)", async () => {
    const { json, record } = await callOk(call("cached"), ask(false), ctx());
    expect(json!.usage).toMatchObject({ prompt_tokens: 1500, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 1000 } });
    expect(record.usage).toEqual({ inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 300, outputTokens: 50, reasoningTokens: 0, source: "provider" });
    expect(record.cost).toBe((200 * 3 + 1000 * 0.3 + 300 * 3.75 + 50 * 15) / 1e6);
  });

  it("translates tool definitions, tool calls and tool results, and the tool_use answer", async () => {
    const request = {
      model: "chat-model",
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function" as const, function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "cold" },
        { role: "user", content: "And Paris?" },
      ],
      tools: [{ type: "function" as const, function: { name: "get_weather", description: "Weather now", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      tool_choice: "required" as const,
      parallel_tool_calls: false,
      max_completion_tokens: 100,
    };
    const { json, record } = await callOk(call("tools"), request, ctx());
    expect(last().body).toEqual({
      model: "tools",
      max_tokens: 100,
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        { role: "assistant", content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Oslo" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "cold" }, { type: "text", text: "And Paris?" }] },
      ],
      tools: [{ name: "get_weather", description: "Weather now", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    expect(json!.choices).toEqual([
      { index: 0, message: { role: "assistant", content: "Checking.", refusal: null, tool_calls: [{ id: "toolu_mock", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] }, logprobs: null, finish_reason: "tool_calls" },
    ]);
    expect(record.finishReason).toBe("tool_calls");
  });

  it("refuses what Anthropic cannot take with a 400 naming the field, before any fetch", async () => {
    const c = ctx();
    const image = { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "What is it?" }, { type: "image_url", image_url: { url: "https://x/y.png" } }] }] };
    const cases: [object, string][] = [
      [image, "/messages/0/content/1"],
      [{ ...ask(false), n: 2 }, "/n"],
      [{ ...ask(false), logprobs: true }, "/logprobs"],
      [{ ...ask(false), response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } } }, "/response_format"],
      [{ ...ask(false), messages: [{ role: "function", name: "f", content: "x" }] }, "/messages/0/role"],
    ];
    for (const [request, param] of cases) {
      const result = await callModel(call("normal"), request as never, c, { variant: "v" });
      expect(result).toMatchObject({ ok: false, retryable: false, status: 400, error: { type: "invalid_request_error", code: "unsupported_for_provider", param } });
    }
    expect(c.fetched).toEqual([]);
  });
});

describe("Anthropic upstream, streaming", () => {
  it("translates events to chunks, ignores pings, and keeps the last cumulative output_tokens", async () => {
    const { payloads, record } = await callOk(call("deltas"), ask(true), ctx());
    expect(last().body.stream).toBe(true);
    // role, 5 content pieces, finish, [DONE]: the pings and the first two message_deltas send nothing.
    expect(payloads).toHaveLength(8);
    expect(chunks(payloads)[0]).toMatchObject({ id: "msg_mock", object: "chat.completion.chunk", model: "deltas", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    expect(contentOf(payloads)).toBe("Hello from the mock upstream.");
    expect(chunks(payloads)[6].choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "stop" });
    expect(record.usage).toEqual({ inputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0, source: "provider" });
    expect(record.cost).toBe((25 * 3 + 7 * 15) / 1e6);
  });

  it("sends the usage chunk when asked, with cached tokens inside prompt_tokens", async () => {
    const { payloads, record } = await callOk(call("cached"), ask(true, { stream_options: { include_usage: true } }), ctx());
    const usage = chunks(payloads).at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 1500, completion_tokens: 50, total_tokens: 1550, prompt_tokens_details: { cached_tokens: 1000 } });
    expect(record.cost).toBe((200 * 3 + 1000 * 0.3 + 300 * 3.75 + 50 * 15) / 1e6);
  });

  it("streams tool_use as tool_calls: id and name first, then the arguments' pieces", async () => {
    const { payloads, record } = await callOk(call("tools"), ask(true), ctx());
    const calls = chunks(payloads).flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: "toolu_mock", type: "function", function: { name: "get_weather", arguments: "" } });
    expect(calls.slice(1).map((c: { function: { arguments: string } }) => c.function.arguments).join("")).toBe('{"city":"Paris"}');
    expect(contentOf(payloads)).toBe("Checking.");
    expect(record).toMatchObject({ finishReason: "tool_calls", usage: { inputTokens: 60, outputTokens: 15, source: "provider" } });
  });

  it("a cut after message_start: an SSE error event, usage partial (input reported, output from the text seen)", async () => {
    const { payloads, record } = await callOk(call("cut:4"), ask(true), ctx());
    expect(payloads.at(-1)).toBe(JSON.stringify({ error: { message: "upstream stream ended before the answer was complete", type: "upstream_error", code: "stream_truncated" } }));
    expect(payloads).not.toContain("[DONE]");
    expect(contentOf(payloads.slice(0, -1))).toBe("Hello");
    // message_start reported 25 input and 1 output; "Hello" is 5 characters → 2 estimated, the larger.
    expect(record.usage).toEqual({ inputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0, source: "partial" });
    expect(record.cost).toBe((25 * 3 + 2 * 15) / 1e6);
    expect(record.truncated).toBe(true);
    expect(record.finishReason).toBeUndefined();
  });

  it("an error event mid-stream ends the stream with that error, never [DONE]", async () => {
    const { payloads, record } = await callOk(call("error-event"), ask(true), ctx());
    expect(payloads.at(-1)).toBe(JSON.stringify({ error: { message: "Overloaded", type: "overloaded_error", code: "overloaded_error" } }));
    expect(record).toMatchObject({ truncated: true, error: "Overloaded", usage: { source: "partial", inputTokens: 25 } });
  });

  it("message_stop without a stop reason is a cut", async () => {
    const { payloads, record } = await callOk(call("no-finish"), ask(true), ctx());
    expect(JSON.parse(payloads.at(-1)!).error.code).toBe("stream_truncated");
    expect(record.truncated).toBe(true);
  });
});

describe("what an Anthropic upstream leaves out or names oddly", () => {
  const fixedCall: ModelCall = { provider: "anthropic", model: "claude", apiKeySecret: "TEST_KEY" };
  it("a stop_reason named like an Object.prototype member is an unknown reason (stop), and an answer without usage is estimated, not 0 tokens from the provider", () => {
    const { tally, body } = anthropicAdapter.json({ id: "msg_1", model: "claude", content: [{ type: "text", text: "Hello there!" }], stop_reason: "constructor" }, 0);
    expect(tally.finishReason).toBe("stop");
    expect((body as { choices: Array<{ finish_reason: string }> }).choices[0]!.finish_reason).toBe("stop");
    expect(tally.reported).toBeUndefined();
    const record = recorder(fixedCall, "v", 8).finish(tally, { complete: true, latencyMs: 5 });
    expect(record).toMatchObject({ finishReason: "stop", usage: { source: "estimated", inputTokens: 2, outputTokens: 3 } });
  });

  it("the same in a stream: message_start and message_delta without usage, stop_reason toString", () => {
    const t = anthropicAdapter.translator({ messages: [] }, 0);
    const events: Array<[string, object]> = [
      ["message_start", { type: "message_start", message: { id: "msg_1", model: "claude" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "toString" } }],
      ["message_stop", { type: "message_stop" }],
    ];
    const payloads = events.flatMap(([event, data]) => t.translate({ event, data: JSON.stringify(data) }));
    expect(JSON.parse(payloads.at(-1)!).choices[0].finish_reason).toBe("stop");
    expect(t.tally.reported).toBeUndefined();
    expect(recorder(fixedCall, "v", 4).finish(t.tally, { complete: true, latencyMs: 5 })).toMatchObject({ finishReason: "stop", usage: { source: "estimated", inputTokens: 1, outputTokens: 1 } });
  });
});
