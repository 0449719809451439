// The variant's rewrite of a request, and its Anthropic translation, as pure functions.
import { describe, expect, it } from "vitest";
import { toAnthropicRequest } from "../../src/llm/anthropic-request.ts";
import { ModelRequestError } from "../../src/llm/errors.ts";
import { rewriteRequest } from "../../src/llm/rewrite.ts";
import type { ChatRequest } from "../../src/llm/types.ts";

const base: ChatRequest = { model: "chat-model", messages: [{ role: "developer", content: "caller system" }, { role: "user", content: "Hi" }] };

describe("rewriteRequest", () => {
  it("template variables named like Object.prototype's members read only the request's own metadata", () => {
    const fixed = (text: string) => ({ provider: "fixed" as const, system: { mode: "prepend" as const, text } });
    const own = JSON.parse('{"__proto__": "own proto", "constructor": "own constructor"}') as Record<string, string>;
    expect(rewriteRequest(fixed("{{__proto__}} / {{constructor}}"), { ...base, metadata: own }).messages[0]).toEqual({ role: "system", content: "own proto / own constructor" });
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(() => rewriteRequest(fixed(`{{${name}}}`), { ...base, metadata: {} })).toThrow(`the variant's system prompt uses the variable {{${name}}}, but request metadata has no string "${name}"`);
    }
  });

  it("prepends the system prompt before the caller's, with variables from metadata", () => {
    const out = rewriteRequest({ provider: "openai", model: "m", system: { mode: "prepend", text: "Speak {{ lang }}." } }, { ...base, metadata: { lang: "Dutch" } });
    expect(out).toEqual({ model: "m", messages: [{ role: "system", content: "Speak Dutch." }, ...base.messages] });
  });

  it("replaces system and developer messages in replace mode; {{input}} works in the system prompt", () => {
    const out = rewriteRequest({ provider: "openai", system: { mode: "replace", text: "About: {{input}}" } }, base);
    expect(out.messages).toEqual([{ role: "system", content: "About: Hi" }, { role: "user", content: "Hi" }]);
    expect(out.model).toBe("chat-model");
  });

  it("applies the template to the text of the last user message and keeps its other parts", () => {
    const image = { type: "image_url", image_url: { url: "https://x/y.png" } };
    const request: ChatRequest = { messages: [{ role: "user", content: "old" }, { role: "user", content: [{ type: "text", text: "a" }, image, { type: "text", text: "b" }] }] };
    const out = rewriteRequest({ provider: "openai", template: "<{{input}}>" }, request);
    expect(out.messages[1]!.content).toEqual([{ type: "text", text: "<a\nb>" }, image]);
    expect(out.messages[0]!.content).toBe("old");
    expect(request.messages[1]!.content).toHaveLength(3);
  });

  it("refuses a template without a user message, and a variable metadata lacks", () => {
    expect(() => rewriteRequest({ provider: "openai", template: "{{input}}" }, { messages: [{ role: "system", content: "s" }] })).toThrow(ModelRequestError);
    expect(() => rewriteRequest({ provider: "fixed", system: { mode: "prepend", text: "{{who}}" } }, { ...base, metadata: null })).toThrow('the variant\'s system prompt uses the variable {{who}}, but request metadata has no string "who"');
  });

  it("sets every param under its wire name", () => {
    const params = { temperature: 0, topP: 0.5, frequencyPenalty: 0.1, presencePenalty: 0.2, stop: ["x"], seed: 7, reasoningEffort: "low" as const, maxTokens: 10 };
    const out = rewriteRequest({ provider: "openai", params }, { ...base, max_tokens: 99, top_p: 1 });
    expect(out).toMatchObject({ temperature: 0, top_p: 0.5, frequency_penalty: 0.1, presence_penalty: 0.2, stop: ["x"], seed: 7, reasoning_effort: "low", max_completion_tokens: 10 });
    expect(out.max_tokens).toBeUndefined();
  });
});

describe("toAnthropicRequest", () => {
  it("joins system and developer messages, skips empty ones, maps none and parallel tool use, and drops what has no counterpart", () => {
    const out = toAnthropicRequest({
      model: "claude",
      messages: [{ role: "system", content: [{ type: "text", text: "A" }] }, { role: "developer", content: "B" }, { role: "user", content: "Hi" }, { role: "assistant", content: "" }],
      tools: [{ type: "function", function: { name: "f" } }],
      tool_choice: { type: "function", function: { name: "f" } },
      parallel_tool_calls: false,
      frequency_penalty: 1,
      seed: 3,
      max_tokens: 5,
    });
    expect(out).toEqual({
      model: "claude",
      max_tokens: 5,
      system: "A\n\nB",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      tools: [{ name: "f", input_schema: { type: "object", properties: {} } }],
      tool_choice: { type: "tool", name: "f", disable_parallel_tool_use: true },
    });
    expect(toAnthropicRequest({ messages: [], tool_choice: "none", parallel_tool_calls: false }).tool_choice).toEqual({ type: "none" });
  });

  it("refuses tool-call arguments that are not a JSON object, and a tool message without its id", () => {
    const args = { messages: [{ role: "assistant", tool_calls: [{ id: "c", type: "function" as const, function: { name: "f", arguments: "[1]" } }] }] };
    expect(() => toAnthropicRequest(args)).toThrow("/messages/0/tool_calls/0/function/arguments: arguments that are not a JSON object cannot be sent to an Anthropic upstream");
    expect(() => toAnthropicRequest({ messages: [{ role: "tool", content: "x" }] })).toThrow("/messages/0/tool_call_id");
  });
});
