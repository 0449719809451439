/**
 * Rewrites the caller's chat request for a variant: `model` becomes the variant's, its system
 * prompt replaces the caller's system (and developer) messages or goes before them, its template
 * is applied to the LAST user message, its params override the caller's, and `metadata` (the
 * template's variables) is dropped. Everything else passes through untouched.
 *
 * Variables are `{{name}}`: `{{input}}` is the last user message's text (its text parts joined
 * with "\n"), any other name is read from the request's `metadata` (a string map). The system
 * prompt may use the same variables. An unknown variable is a 400 naming it.
 *
 * `params.maxTokens` is sent as `max_completion_tokens` to OpenAI (which refuses `max_tokens` for
 * its reasoning models) and as `max_tokens` to openai-compatible servers (which mostly know only
 * that one); the caller's value under the other name is removed.
 *
 * @module
 */
import { ModelRequestError } from "./errors.ts";
import type { ChatContentPart, ChatMessage, ChatRequest, ModelCall } from "./types.ts";

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The text of a message's content: a string, or its text parts joined with "\n". */
export function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.flatMap((p) => (p.type === "text" && typeof p.text === "string" ? [p.text] : [])).join("\n");
}

function render(template: string, input: string | undefined, metadata: ChatRequest["metadata"], where: string): string {
  return template.replace(VARIABLE, (_m, name: string) => {
    const value = name === "input" ? input : metadata != null && Object.hasOwn(metadata, name) ? metadata[name] : undefined;
    if (typeof value === "string") return value;
    const from = name === "input" ? "the request has no user message" : `request metadata has no string "${name}"`;
    throw new ModelRequestError(`the variant's ${where} uses the variable {{${name}}}, but ${from}`, "unknown_template_variable", name === "input" ? "/messages" : `/metadata/${name}`);
  });
}

const PARAMS: [keyof NonNullable<ModelCall["params"]>, string][] = [
  ["temperature", "temperature"],
  ["topP", "top_p"],
  ["frequencyPenalty", "frequency_penalty"],
  ["presencePenalty", "presence_penalty"],
  ["stop", "stop"],
  ["seed", "seed"],
  ["reasoningEffort", "reasoning_effort"],
];

/**
 * The request as the variant sends it (OpenAI's shape; the Anthropic adapter translates it next).
 *
 * @example
 * rewriteRequest({ provider: "openai", model: "gpt-4o-mini", template: "Answer briefly: {{input}}" },
 *   { model: "chat-model", messages: [{ role: "user", content: "Why?" }] });
 * // { model: "gpt-4o-mini", messages: [{ role: "user", content: "Answer briefly: Why?" }] }
 */
export function rewriteRequest(call: ModelCall, request: ChatRequest): ChatRequest {
  const { metadata, ...rest } = request;
  const out: ChatRequest = { ...rest, messages: [...request.messages] };
  if (call.model !== undefined) out.model = call.model;
  const lastUser = out.messages.findLastIndex((m) => m.role === "user");
  const input = lastUser < 0 ? undefined : textOf(out.messages[lastUser]!.content);
  if (call.template !== undefined) {
    if (lastUser < 0) throw new ModelRequestError("the variant's template needs a user message, and the request has none", "missing_user_message", "/messages");
    const text = render(call.template, input, metadata, "template");
    const message = out.messages[lastUser]!;
    const others = Array.isArray(message.content) ? message.content.filter((p) => p.type !== "text") : [];
    const content: ChatMessage["content"] = others.length > 0 ? [{ type: "text", text } as ChatContentPart, ...others] : text;
    out.messages[lastUser] = { ...message, content };
  }
  if (call.system) {
    const system: ChatMessage = { role: "system", content: render(call.system.text, input, metadata, "system prompt") };
    const kept = call.system.mode === "replace" ? out.messages.filter((m) => m.role !== "system" && m.role !== "developer") : out.messages;
    out.messages = [system, ...kept];
  }
  const params = call.params ?? {};
  for (const [from, to] of PARAMS) if (params[from] !== undefined) out[to] = params[from];
  if (params.maxTokens !== undefined) {
    delete out.max_tokens;
    delete out.max_completion_tokens;
    out[call.provider === "openai" ? "max_completion_tokens" : "max_tokens"] = params.maxTokens;
  }
  return out;
}
