// What goes wrong: timeouts, error statuses, cut and silent streams, cancelled clients, keys
// pointed at the wrong origin, redirects, unknown template variables; and the fixed provider.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockLlm, type MockLlm } from "../../../scripts/lib/mock-llm.ts";
import { callModel } from "../../src/llm/call-model.ts";
import type { AttemptResult, ModelCall } from "../../src/llm/types.ts";
import { callOk, context, contentOf, KEY } from "./helpers.ts";

let mock: MockLlm;
let other: MockLlm;
beforeAll(async () => void ([mock, other] = await Promise.all([startMockLlm(), startMockLlm()])));
afterAll(() => Promise.all([mock.close(), other.close()]));

const call = (model: string, extra: Partial<ModelCall> = {}): ModelCall => ({ provider: "openai", model, baseUrl: `${mock.url}/v1`, apiKeySecret: "TEST_KEY", timeoutMs: 2000, ...extra });
const ask = (stream: boolean, extra = {}) => ({ model: "chat-model", messages: [{ role: "user", content: "Say hello" }], stream, ...extra });
const run = (c: ModelCall, stream = false, ctx = context([mock.url]), extra = {}) => callModel(c, ask(stream, extra), ctx, { variant: "v" });
type Failure = Extract<AttemptResult, { ok: false }>;

describe("before the first byte: ok false, retryable for 5xx, 429, timeouts and network errors", () => {
  it.each([
    ["status:429", 429, true, "rate_limit_exceeded"],
    ["status:500", 500, true, "server_error"],
    ["status:503", 503, true, "server_error"],
    ["status:400", 400, false, "invalid_request_error"],
  ])("%s", async (model, status, retryable, type) => {
    for (const stream of [false, true]) {
      const result = (await run(call(model), stream)) as Failure;
      expect(result).toMatchObject({ ok: false, retryable, status, error: { type, message: `mock upstream error ${status} for key ***` } });
      expect(JSON.stringify(result)).not.toContain(KEY);
      expect(JSON.stringify(result)).not.toContain("do-not-echo");
      expect(result.record).toMatchObject({ variant: "v", provider: "openai", model, status, error: `mock upstream error ${status} for key ***` });
    }
  });

  it.each([401, 403, 404])("an upstream %i is about the variant's key or model, not the caller's: 502 upstream_refused, not retried; the record keeps the upstream's status", async (status) => {
    for (const stream of [false, true]) {
      const result = (await run(call(`status:${status}`), stream)) as Failure;
      expect(result).toMatchObject({ ok: false, retryable: false, status: 502, error: { type: "upstream_error", code: "upstream_refused", message: `the upstream answered ${status}: mock upstream error ${status} for key ***` } });
      expect(result.record).toMatchObject({ status, error: `the upstream answered ${status}: mock upstream error ${status} for key ***` });
      expect(JSON.stringify(result)).not.toContain(KEY);
    }
  });

  it("maps Anthropic's error body to OpenAI's shape", async () => {
    const result = (await run(call("status:529", { provider: "anthropic" }))) as Failure;
    expect(result).toMatchObject({ ok: false, retryable: true, status: 529, error: { message: "mock upstream error 529 for key ***", type: "api_error", code: "api_error", param: null } });
  });

  it("a hanging upstream times out at timeoutMs: 504, record status 0", async () => {
    const result = (await run(call("hang", { timeoutMs: 150 }), true)) as Failure;
    expect(result).toMatchObject({ ok: false, retryable: true, status: 504, error: { type: "timeout", code: "upstream_timeout" }, record: { status: 0 } });
    expect(result.record.latencyMs).toBeGreaterThanOrEqual(145);
  });

  it("slow headers time out too (JSON)", async () => {
    expect(await run(call("slow:400", { timeoutMs: 100 }))).toMatchObject({ ok: false, retryable: true, status: 504 });
  });

  it("headers in time but no first event in time: a timeout, nothing sent to the client", async () => {
    expect(await run(call("slow-event:400", { timeoutMs: 100 }), true)).toMatchObject({ ok: false, retryable: true, status: 504, record: { status: 0 } });
  });

  it("an unreachable upstream is a retryable 502", async () => {
    const dead = await startMockLlm();
    await dead.close();
    const result = await run(call("normal", { baseUrl: `${dead.url}/v1` }), false, context([dead.url]));
    expect(result).toMatchObject({ ok: false, retryable: true, status: 502, error: { code: "upstream_unreachable" }, record: { status: 0 } });
  });

  it("a JSON answer cut in the middle is a retryable 502", async () => {
    expect(await run(call("cut"))).toMatchObject({ ok: false, retryable: true, status: 502 });
  });
});

describe("a stream cut after the first byte reaches the client as an SSE error, never a clean end", () => {
  const TRUNCATED = JSON.stringify({ error: { message: "upstream stream ended before the answer was complete", type: "upstream_error", code: "stream_truncated" } });

  it("the connection drops: usage estimated from the text seen", async () => {
    const { payloads, record } = await callOk(call("cut:3"), ask(true), context([mock.url]));
    expect(payloads).toHaveLength(4);
    expect(payloads.at(-1)).toBe(TRUNCATED);
    expect(contentOf(payloads.slice(0, -1))).toBe("Hello from");
    // "Hello from" = 10 characters → 3; input "Say hello" = 9 → 3.
    expect(record).toMatchObject({ status: 200, truncated: true, error: "upstream stream ended before the answer was complete" });
    expect(record.usage).toEqual({ inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0, source: "estimated" });
    expect(record.finishReason).toBeUndefined();
    expect(record.ttftMs).toBeGreaterThan(0);
  });

  it("silence longer than timeoutMs inside the stream is a cut", async () => {
    const started = performance.now();
    const { payloads, record } = await callOk(call("stall:2", { timeoutMs: 150 }), ask(true), context([mock.url]));
    expect(payloads.at(-1)).toBe(TRUNCATED);
    expect(record).toMatchObject({ truncated: true, error: "no upstream event for 150 ms", usage: { outputTokens: 2, source: "estimated" } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("[DONE] without a finish reason is a cut", async () => {
    const { payloads, record } = await callOk(call("no-finish"), ask(true), context([mock.url]));
    expect(payloads.at(-1)).toBe(TRUNCATED);
    expect(record).toMatchObject({ truncated: true, usage: { outputTokens: 8, source: "estimated" } });
  });

  it("an OpenAI error event mid-stream ends the stream with it", async () => {
    const { payloads, record } = await callOk(call("error-event"), ask(true), context([mock.url]));
    expect(JSON.parse(payloads.at(-1)!)).toEqual({ error: { message: "The server had an error while processing your request.", type: "server_error", code: null } });
    expect(record.truncated).toBe(true);
  });

  it("an upstream error event that echoes the key: the key is hidden from the client and the record, mid-stream and before the first token", async () => {
    for (const provider of ["openai", "anthropic"] as const) {
      const { payloads, record } = await callOk(call("key-error-event:3", { provider }), ask(true), context([mock.url]));
      expect(JSON.stringify(payloads)).not.toContain(KEY);
      expect(JSON.parse(payloads.at(-1)!).error.message).toBe(provider === "openai" ? "The server failed for key ***" : "Overloaded for key ***");
      expect(record.error).toBe(provider === "openai" ? "The server failed for key ***" : "Overloaded for key ***");
      const early = (await run(call("key-error-event:0", { provider }), true)) as Failure;
      expect(early.ok).toBe(false);
      expect(JSON.stringify(early)).not.toContain(KEY);
      expect(early.error.message).toBe(`upstream error before the first token: ${provider === "openai" ? "The server failed" : "Overloaded"} for key ***`);
    }
  });

  it("a client that cancels cancels the upstream, and the record settles", async () => {
    const result = await run(call("gap:200"), true);
    if (!result.ok) expect.unreachable();
    const reader = (result as Extract<AttemptResult, { ok: true }>).response.body!.getReader();
    const upstream = mock.requests.at(-1)!;
    await reader.read();
    await reader.cancel();
    const record = await (result as Extract<AttemptResult, { ok: true }>).record;
    expect(record).toMatchObject({ truncated: true, error: "cancelled by the client", usage: { source: "estimated" } });
    await expect.poll(() => upstream.completed, { timeout: 1000 }).toBe(false);
  });
});

describe("keys go only where they are allowed", () => {
  it("an origin not allowed for the secret is refused before any fetch", async () => {
    const ctx = context(["https://api.openai.com"]);
    const result = await run(call("normal"), false, ctx);
    expect(result).toMatchObject({ ok: false, retryable: false, status: 500, error: { type: "server_error", code: "origin_not_allowed", message: `the secret TEST_KEY may not be sent to ${mock.url}: it is not among the origins allowed for it` } });
    expect(ctx.fetched).toEqual([]);
  });

  it("an unset secret is named, nothing is fetched", async () => {
    const ctx = context([mock.url], {});
    const before = mock.requests.length;
    expect(await run(call("normal"), false, ctx)).toMatchObject({ ok: false, status: 500, error: { code: "origin_not_allowed" } });
    const allowed = { ...context([mock.url], {}), allowedOrigins: () => [mock.url] };
    expect(await run(call("normal"), false, allowed)).toMatchObject({ ok: false, retryable: false, status: 500, error: { code: "secret_missing", message: "the secret TEST_KEY is not set" } });
    expect(mock.requests.length).toBe(before);
  });

  it("a redirect is not followed, so the key never reaches the other origin", async () => {
    const target = `${other.url}/v1/chat/completions`;
    const result = await run(call(`redirect:${target}`), false, context([mock.url, other.url]));
    expect(result).toMatchObject({ ok: false, retryable: false, status: 502, error: { code: "upstream_redirect" } });
    expect(other.requests).toEqual([]);
  });

  it("a variant without a base URL where the provider has no default is refused", async () => {
    const result = await run({ provider: "openai-compatible", model: "m", apiKeySecret: "TEST_KEY" });
    expect(result).toMatchObject({ ok: false, status: 500, error: { code: "invalid_base_url" } });
  });
});

describe("template variables", () => {
  it("an unknown variable is a 400 naming it, and nothing is fetched", async () => {
    const ctx = context([mock.url]);
    const result = await run(call("normal", { template: "{{input}} in a {{tone}} tone" }), false, ctx, { metadata: { lang: "fr" } });
    expect(result).toMatchObject({ ok: false, retryable: false, status: 400, error: { type: "invalid_request_error", code: "unknown_template_variable", param: "/metadata/tone" } });
    expect((result as Failure).error.message).toContain("{{tone}}");
    expect(ctx.fetched).toEqual([]);
  });
});

describe("the fixed provider", () => {
  const fixed: ModelCall = { provider: "fixed", answer: "The answer is 42." };

  it("answers JSON with estimated usage and cost 0 without prices", async () => {
    const { json, record } = await callOk(fixed, ask(false), context([]));
    expect(json).toMatchObject({ object: "chat.completion", model: "fixed", choices: [{ message: { role: "assistant", content: "The answer is 42." }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 5 } });
    expect(record).toMatchObject({ provider: "fixed", status: 200, cost: 0, finishReason: "stop", usage: { inputTokens: 3, outputTokens: 5, source: "estimated" } });
  });

  it("streams role, content, finish, (usage when asked), [DONE]; cost from prices", async () => {
    const priced = { ...fixed, prices: { input: 1, output: 2 } };
    const plain = await callOk(priced, ask(true), context([]));
    expect(plain.payloads).toHaveLength(4);
    expect(contentOf(plain.payloads)).toBe("The answer is 42.");
    const withUsage = await callOk(priced, ask(true, { stream_options: { include_usage: true } }), context([]));
    expect(JSON.parse(withUsage.payloads[3]!).usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5 });
    expect(withUsage.record).toMatchObject({ cost: (3 * 1 + 5 * 2) / 1e6, finishReason: "stop", usage: { source: "estimated" } });
  });
});

describe("hostile request bodies are a 400 naming the field, never a throw", () => {
  it.each([
    [null, null],
    [[], null],
    [{ messages: "hi" }, "/messages"],
    [{ messages: [null] }, "/messages/0"],
    [{ messages: [{ role: 7 }] }, "/messages/0/role"],
    [{ messages: [{ role: "user", content: 5 }] }, "/messages/0/content"],
    [{ messages: [{ role: "user", content: [{ type: "text" }] }] }, "/messages/0/content/0/text"],
    [{ messages: [{ role: "user", content: ["x"] }] }, "/messages/0/content/0"],
    [{ messages: [{ role: "assistant", tool_calls: [{ id: "a", function: { name: "f", arguments: {} } }] }] }, "/messages/0/tool_calls/0/function/arguments"],
    [{ messages: [], metadata: { n: 1 } }, "/metadata/n"],
    [{ messages: [], stream: "yes" }, "/stream"],
    [{ messages: [], stop: [1] }, "/stop"],
    [{ messages: [], tools: [{ type: "function" }] }, "/tools/0/function/name"],
    [{ messages: [], tool_choice: { type: "function" } }, "/tool_choice"],
  ])("%j", async (body, param) => {
    const ctx = context([mock.url]);
    for (const provider of ["openai", "anthropic", "fixed"] as const) {
      const result = await callModel(call("normal", { provider }), body as never, ctx, { variant: "v" });
      expect(result).toMatchObject({ ok: false, retryable: false, status: 400, error: { type: "invalid_request_error", code: "invalid_request", param } });
    }
    expect(ctx.fetched).toEqual([]);
  });
});

describe("a caller that gives up", () => {
  it("before the first event: not retryable (499), and the upstream is cancelled", async () => {
    const gone = new AbortController();
    setTimeout(() => gone.abort(), 50);
    const result = await callModel(call("slow-event:400"), ask(true), context([mock.url]), { variant: "v", signal: gone.signal });
    expect(result).toMatchObject({ ok: false, retryable: false, status: 499, error: { code: "cancelled" } });
    const already = await callModel(call("normal"), ask(false), context([mock.url]), { variant: "v", signal: AbortSignal.abort() });
    expect(already).toMatchObject({ ok: false, retryable: false, status: 499 });
  });
});
