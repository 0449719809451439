// Run by real Deno (llm-deno.test.ts): one streamed Anthropic call through callModel against the
// mock upstream whose URL is the first argument; prints the client's text and the record as JSON.
import { callModel } from "../src/llm/index.ts";

declare const Deno: { args: string[] };
const url = Deno.args[0]!;
const result = await callModel(
  { provider: "anthropic", model: "cached", baseUrl: `${url}/v1`, apiKeySecret: "TEST_KEY", prices: { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 } },
  { model: "chat-model", messages: [{ role: "user", content: "Say hello" }], stream: true },
  { fetch, secret: () => "sk-deno", allowedOrigins: () => [url], now: () => performance.now() },
  { variant: "b" },
);
if (!result.ok) throw new Error(JSON.stringify(result));
console.log(JSON.stringify({ text: await result.response.text(), record: await result.record }));
