// callModel in real Deno (the `deno` npm package) on the TypeScript sources, against the Node mock.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMockLlm, type MockLlm } from "../../scripts/lib/mock-llm.ts";

let mock: MockLlm;
beforeAll(async () => void (mock = await startMockLlm()));
afterAll(() => mock.close());

it("streams an Anthropic answer as OpenAI chunks in Deno, with exact usage and cost", async () => {
  const deno = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
  const runner = fileURLToPath(new URL("./llm-deno-runner.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(deno, ["run", "--quiet", `--allow-net=${new URL(mock.url).host}`, runner, mock.url], { env: { ...process.env, NO_COLOR: "1" } });
  const { text, record } = JSON.parse(stdout);
  expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  expect(record.usage).toEqual({ inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 300, outputTokens: 50, reasoningTokens: 0, source: "provider" });
  expect(record.cost).toBe((200 * 3 + 1000 * 0.3 + 300 * 3.75 + 50 * 15) / 1e6);
  expect(mock.requests.at(-1)!.headers["x-api-key"]).toBe("sk-deno");
});
