// callModel inside workerd, through the package's `./llm` export, against the Node mock upstream.
import { callModel, type AttemptRecord, type CallContext, type ModelCall } from "@edgeflag/sdk/llm";
import { describe, expect, inject, it } from "vitest";

const url = inject("mockLlmUrl");
const ctx: CallContext = { fetch: (i, init) => fetch(i, init), secret: (n) => (n === "TEST_KEY" ? "sk-workerd" : undefined), allowedOrigins: () => [url], now: () => Date.now() };
const variant = (provider: "openai" | "anthropic", model: string): ModelCall => ({ provider, model, baseUrl: `${url}/v1`, apiKeySecret: "TEST_KEY", prices: { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 }, timeoutMs: 2000 });
const request = (stream: boolean) => ({ model: "chat-model", messages: [{ role: "user", content: "Say hello" }], stream });

async function served(call: ModelCall, stream: boolean): Promise<{ text: string; record: AttemptRecord }> {
  const result = await callModel(call, request(stream), ctx, { variant: "b" });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { text: await result.response.text(), record: await result.record };
}

describe("callModel in workerd", () => {
  it("streams an Anthropic answer as OpenAI chunks with exact usage and cost", async () => {
    const { text, record } = await served(variant("anthropic", "cached"), true);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(record.usage).toEqual({ inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 300, outputTokens: 50, reasoningTokens: 0, source: "provider" });
    expect(record.cost).toBe((200 * 3 + 1000 * 0.3 + 300 * 3.75 + 50 * 15) / 1e6);
  });

  it("answers OpenAI JSON and turns a cut stream into an SSE error", async () => {
    const json = await served(variant("openai", "normal"), false);
    expect(JSON.parse(json.text).choices[0].message.content).toBe("Hello from the mock upstream.");
    const cut = await served(variant("openai", "cut:3"), true);
    expect(cut.text.endsWith('data: {"error":{"message":"upstream stream ended before the answer was complete","type":"upstream_error","code":"stream_truncated"}}\n\n')).toBe(true);
    expect(cut.record).toMatchObject({ truncated: true, usage: { outputTokens: 3, source: "estimated" } });
  });

  it("times out a hanging upstream and refuses a disallowed origin", async () => {
    expect(await callModel({ ...variant("openai", "hang"), timeoutMs: 100 }, request(true), ctx, { variant: "b" })).toMatchObject({ ok: false, retryable: true, status: 504 });
    const elsewhere = { ...ctx, allowedOrigins: () => ["https://api.openai.com"] };
    expect(await callModel(variant("openai", "normal"), request(false), elsewhere, { variant: "b" })).toMatchObject({ ok: false, status: 500, error: { code: "origin_not_allowed" } });
  });
});
