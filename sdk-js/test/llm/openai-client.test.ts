// The official `openai` npm client as the caller of what callModel answers, served by a tiny
// Node server: real client code must parse our chunks, see usage only when it asked, assemble
// translated tool calls, and surface a cut stream as an exception.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI, { APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockLlm, type MockLlm } from "../../../scripts/lib/mock-llm.ts";
import { callModel } from "../../src/llm/call-model.ts";
import type { AttemptRecord, ChatRequest, ModelCall } from "../../src/llm/types.ts";
import { context } from "./helpers.ts";

let mock: MockLlm;
let server: Server;
let client: OpenAI;
const records: AttemptRecord[] = [];

/** The "flag" the client names picks the variant: `<provider>/<mock scenario>` or `fixed`. */
function variantFor(model: string): ModelCall {
  if (model === "fixed") return { provider: "fixed", answer: "Always 42." };
  const [provider, scenario] = model.split("/") as ["openai" | "anthropic", string];
  return { provider, model: scenario, baseUrl: `${mock.url}/v1`, apiKeySecret: "TEST_KEY", prices: { input: 1, output: 2 }, timeoutMs: 300 };
}

beforeAll(async () => {
  mock = await startMockLlm();
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest;
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const result = await callModel(variantFor(body.model!), body, context([mock.url]), { variant: body.model!, signal: gone.signal });
    if (!result.ok) return void res.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify({ error: result.error }));
    res.writeHead(result.response.status, Object.fromEntries(result.response.headers));
    for await (const chunk of result.response.body!) res.write(chunk);
    res.end();
    records.push(await result.record);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: "router-key", maxRetries: 0 });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await mock.close();
});

const messages = [{ role: "user" as const, content: "Say hello" }];

describe("the official openai client", () => {
  it.each(["openai/normal", "anthropic/normal"])("reads a JSON answer (%s)", async (model) => {
    const completion = await client.chat.completions.create({ model, messages });
    expect(completion.choices[0]!.message.content).toBe("Hello from the mock upstream.");
    expect(completion.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 7, total_tokens: 32 });
  });

  it.each(["openai/normal", "anthropic/deltas", "fixed"])("streams without usage unless asked (%s)", async (model) => {
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    let text = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      expect(chunk.usage ?? undefined).toBeUndefined();
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(model === "fixed" ? "Always 42." : "Hello from the mock upstream.");
    expect(finish).toBe("stop");
  });

  it.each(["openai/cached", "anthropic/cached"])("sees usage when it asks for it (%s)", async (model) => {
    const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
    const usages = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toHaveLength(1);
    expect(usages[0]!.prompt_tokens_details?.cached_tokens).toBe(1000);
    expect(usages[0]!.prompt_tokens).toBe(model.startsWith("openai") ? 1200 : 1500);
  });

  it.each(["openai/tools", "anthropic/tools"])("assembles streamed tool calls with the client's own helper (%s)", async (model) => {
    const runner = client.chat.completions.stream({ model, messages, tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }] });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.tool_calls).toMatchObject([{ type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it.each(["openai/cut:3", "anthropic/cut:4", "openai/stall:2"])("throws on a cut stream, after the text that came (%s)", async (model) => {
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    let text = "";
    const error = await (async () => {
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain("upstream stream ended before the answer was complete");
    expect((error as APIError).code).toBe("stream_truncated");
    expect(text.startsWith("Hello")).toBe(true);
  });

  it("gets upstream errors in OpenAI's shape, without the key", async () => {
    const error = await client.chat.completions.create({ model: "openai/status:429", messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as APIError).message).toContain("mock upstream error 429 for key ***");
    const refused = await client.chat.completions.create({ model: "anthropic/normal", messages, n: 2 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as APIError).param).toBe("/n");
  });

  it("left one settled record per answer served", () => {
    expect(records.length).toBeGreaterThan(10);
    expect(records.every((r) => typeof r.latencyMs === "number" && r.usage !== undefined)).toBe(true);
  });
});
