/**
 * A chat.completions request as Anthropic's Messages API request.
 *
 * Translated: system and developer messages → `system` (joined with a blank line); user and
 * assistant text (strings or text parts); assistant `tool_calls` → `tool_use` blocks; `tool`
 * messages → `tool_result` blocks; `tools` → `tools` (`parameters` → `input_schema`);
 * `tool_choice` (auto, required → any, none, a named function → tool) and
 * `parallel_tool_calls: false` → `disable_parallel_tool_use`; `max_completion_tokens` or
 * `max_tokens` → `max_tokens` (4096 when neither is given: Anthropic requires it);
 * `temperature`, `top_p`; `stop` → `stop_sequences`; `user` → `metadata.user_id`; `stream`.
 *
 * Refused with a 400 naming the field: content parts other than text (`image_url`,
 * `input_audio`, `file`), `n` > 1, `logprobs`, `top_logprobs`, a `response_format` other than
 * text, `audio`, `modalities` other than text, `prediction`, `logit_bias`, `web_search_options`,
 * the legacy `functions`/`function_call` and `function` role, tools that are not functions.
 * Ignored (no Anthropic counterpart, the answer keeps its shape): `frequency_penalty`,
 * `presence_penalty`, `seed`, `reasoning_effort`, `store`, `service_tier`, `stream_options`
 * (Anthropic always reports usage).
 *
 * @module
 */
import { ModelRequestError } from "./errors.ts";
import { textOf } from "./rewrite.ts";
import type { ChatMessage, ChatRequest } from "./types.ts";

/** max_tokens when the caller and the variant give none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: "user" | "assistant";
  content: Block[];
}

const refuse = (pointer: string, what: string): never => {
  throw new ModelRequestError(`${pointer}: ${what} cannot be sent to an Anthropic upstream`, "unsupported_for_provider", pointer);
};

/** Fields refused when present with a value other than the harmless one. */
function refuseUnsupported(r: ChatRequest): void {
  if (typeof r.n === "number" && r.n > 1) refuse("/n", "n > 1");
  if (r.logprobs === true) refuse("/logprobs", "logprobs");
  if (r.top_logprobs != null) refuse("/top_logprobs", "top_logprobs");
  const format = r.response_format as { type?: unknown } | null | undefined;
  if (format != null && format.type !== "text") refuse("/response_format", `response_format ${String(format.type)}`);
  if (r.audio != null) refuse("/audio", "audio output");
  if (Array.isArray(r.modalities) && r.modalities.some((m) => m !== "text")) refuse("/modalities", "a modality other than text");
  for (const field of ["prediction", "web_search_options", "functions", "function_call"]) if (r[field] != null) refuse(`/${field}`, field);
  if (r.logit_bias != null && Object.keys(r.logit_bias).length > 0) refuse("/logit_bias", "logit_bias");
  r.tools?.forEach((t, i) => t.type !== "function" && refuse(`/tools/${i}/type`, `a tool of type ${String(t.type)}`));
}

function textBlocks(content: ChatMessage["content"], pointer: string): Block[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((p, j) => (p.type === "text" ? { type: "text", text: p.text } : refuse(`${pointer}/content/${j}`, `a content part of type ${p.type}`)));
}

function toolUses(m: ChatMessage, pointer: string): Block[] {
  return (m.tool_calls ?? []).map((call, k) => {
    let input: unknown;
    try {
      input = call.function.arguments.trim() === "" ? {} : JSON.parse(call.function.arguments);
    } catch {
      input = undefined;
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) refuse(`${pointer}/tool_calls/${k}/function/arguments`, "arguments that are not a JSON object");
    return { type: "tool_use", id: call.id, name: call.function.name, input };
  });
}

/** The messages and system text, consecutive messages of one role merged (tool results go in one user turn). */
function translateMessages(messages: ChatMessage[]): { system: string[]; messages: AnthropicMessage[] } {
  const system: string[] = [];
  const out: AnthropicMessage[] = [];
  const push = (role: AnthropicMessage["role"], blocks: Block[]) => {
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  messages.forEach((m, i) => {
    const pointer = `/messages/${i}`;
    if (m.role === "system" || m.role === "developer") {
      textBlocks(m.content, pointer);
      system.push(textOf(m.content));
    } else if (m.role === "user") push("user", textBlocks(m.content, pointer));
    else if (m.role === "assistant") push("assistant", [...textBlocks(m.content, pointer), ...toolUses(m, pointer)]);
    else if (m.role === "tool") {
      if (typeof m.tool_call_id !== "string") refuse(`${pointer}/tool_call_id`, "a tool message without tool_call_id");
      push("user", [{ type: "tool_result", tool_use_id: m.tool_call_id, content: textOf(m.content) }]);
    } else refuse(`${pointer}/role`, `the role ${String(m.role)}`);
  });
  return { system, messages: out };
}

function toolChoice(r: ChatRequest): Block | undefined {
  const c = r.tool_choice;
  const choice: Block | undefined =
    c === undefined ? undefined : c === "auto" ? { type: "auto" } : c === "required" ? { type: "any" } : c === "none" ? { type: "none" } : { type: "tool", name: c.function.name };
  if (r.parallel_tool_calls !== false || choice?.type === "none") return choice;
  return { ...(choice ?? { type: "auto" }), disable_parallel_tool_use: true };
}

/**
 * The Messages API body for a rewritten chat request.
 *
 * @example
 * toAnthropicRequest({ model: "claude-sonnet-4-5", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] });
 * // { model: "claude-sonnet-4-5", max_tokens: 4096, system: "Be brief.", messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] }
 */
export function toAnthropicRequest(r: ChatRequest): Record<string, unknown> {
  refuseUnsupported(r);
  const { system, messages } = translateMessages(r.messages);
  const body: Record<string, unknown> = { model: r.model, max_tokens: r.max_completion_tokens ?? r.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS };
  if (system.length > 0) body.system = system.join("\n\n");
  body.messages = messages;
  if (typeof r.temperature === "number") body.temperature = r.temperature;
  if (typeof r.top_p === "number") body.top_p = r.top_p;
  if (r.stop != null) body.stop_sequences = typeof r.stop === "string" ? [r.stop] : r.stop;
  if (r.tools !== undefined && r.tools.length > 0) {
    body.tools = r.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description === undefined ? {} : { description: t.function.description }),
      input_schema: t.function.parameters ?? { type: "object", properties: {} },
    }));
  }
  const choice = toolChoice(r);
  if (choice !== undefined) body.tool_choice = choice;
  if (typeof r.user === "string") body.metadata = { user_id: r.user };
  if (r.stream === true) body.stream = true;
  return body;
}
