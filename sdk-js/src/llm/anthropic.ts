/**
 * Anthropic upstreams: `POST {baseUrl}/messages` with `x-api-key` and `anthropic-version:
 * 2023-06-01`; the request is translated by anthropic-request.ts, the answers here. A message
 * becomes a chat.completion (text blocks joined, `tool_use` → `tool_calls`, thinking dropped); its
 * events become chat.completion.chunks: `message_start` → the role chunk (and the input and
 * cache counts), `content_block_start` of a tool_use → the tool call's id and name,
 * `text_delta` → content, `input_json_delta` → the tool call's arguments, `message_delta` → the
 * finish chunk (its `output_tokens` is cumulative: the last value is kept), `message_stop` → the
 * usage chunk when the client asked for it, then `[DONE]`; `ping` is ignored and an `error`
 * event ends the stream with that error. Stop reasons: end_turn and stop_sequence → stop,
 * max_tokens → length, tool_use → tool_calls, refusal → content_filter.
 *
 * @module
 */
import type { Adapter } from "./adapter.ts";
import { toAnthropicRequest } from "./anthropic-request.ts";
import { newTally } from "./record.ts";
import type { Translator } from "./relay.ts";
import { anthropicUsage, toOpenAIUsage, type Counts } from "./usage.ts";

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");

const STOP_REASONS: Record<string, string> = { end_turn: "stop", stop_sequence: "stop", pause_turn: "stop", max_tokens: "length", model_context_window_exceeded: "length", tool_use: "tool_calls", refusal: "content_filter" };
const finishOf = (reason: unknown) => (typeof reason === "string" ? (Object.hasOwn(STOP_REASONS, reason) ? STOP_REASONS[reason]! : "stop") : undefined);
/** The counts of a `usage` laid over `known`; `known` when there is no usage object (absent is not zero). */
const reportedBy = (usage: unknown, known?: Counts): Counts | undefined => (typeof usage === "object" && usage !== null ? anthropicUsage(usage, known) : known);

/** A Messages API answer as a chat.completion. */
function completionOf(body: unknown, nowMs: number) {
  const m = obj(body);
  const tally = newTally();
  tally.reported = reportedBy(m.usage);
  const text: string[] = [];
  const toolCalls: unknown[] = [];
  for (const block of Array.isArray(m.content) ? m.content.map(obj) : []) {
    if (block.type === "text") text.push(str(block.text));
    else if (block.type === "tool_use") toolCalls.push({ id: str(block.id), type: "function", function: { name: str(block.name), arguments: JSON.stringify(block.input ?? {}) } });
  }
  const content = text.length > 0 ? text.join("") : null;
  tally.outputChars = (content ?? "").length + toolCalls.reduce<number>((n, c) => n + (c as { function: { arguments: string } }).function.arguments.length, 0);
  tally.finishReason = finishOf(m.stop_reason) ?? "stop";
  tally.done = true;
  const message = { role: "assistant", content, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
  return {
    tally,
    body: {
      id: str(m.id),
      object: "chat.completion",
      created: Math.floor(nowMs / 1000),
      model: str(m.model),
      choices: [{ index: 0, message, logprobs: null, finish_reason: tally.finishReason }],
      ...(tally.reported && { usage: toOpenAIUsage(tally.reported) }),
    },
  };
}

/**
 * Translates Messages API stream events into chat.completion.chunk payloads.
 *
 * @example
 * const t = anthropicTranslator(false, Date.now());
 * t.translate({ event: "message_start", data: '{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":25,"output_tokens":1}}}' });
 */
export function anthropicTranslator(includeUsage: boolean, nowMs: number): Translator {
  const tally = newTally();
  const head = { id: "", object: "chat.completion.chunk", created: Math.floor(nowMs / 1000), model: "" };
  const tools = new Map<number, number>();
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const on: Record<string, (e: Record<string, unknown>) => string[]> = {
    message_start(e) {
      const m = obj(e.message);
      head.id = str(m.id);
      head.model = str(m.model);
      tally.reported = reportedBy(m.usage);
      return [chunk({ role: "assistant", content: "" })];
    },
    content_block_start(e) {
      const block = obj(e.content_block);
      if (block.type === "tool_use") {
        const index = tools.size;
        tools.set(Number(e.index), index);
        return [chunk({ tool_calls: [{ index, id: str(block.id), type: "function", function: { name: str(block.name), arguments: "" } }] })];
      }
      const text = block.type === "text" ? str(block.text) : "";
      tally.outputChars += text.length;
      return text === "" ? [] : [chunk({ content: text })];
    },
    content_block_delta(e) {
      const d = obj(e.delta);
      const piece = d.type === "text_delta" ? str(d.text) : d.type === "input_json_delta" ? str(d.partial_json) : "";
      tally.outputChars += piece.length;
      if (piece === "") return [];
      if (d.type === "text_delta") return [chunk({ content: piece })];
      return [chunk({ tool_calls: [{ index: tools.get(Number(e.index)) ?? 0, function: { arguments: piece } }] })];
    },
    message_delta(e) {
      tally.reported = reportedBy(e.usage, tally.reported);
      const finish = finishOf(obj(e.delta).stop_reason);
      if (finish === undefined || tally.finishReason !== undefined) return [];
      tally.finishReason = finish;
      return [chunk({}, finish)];
    },
    message_stop() {
      tally.done = true;
      const usage = tally.reported ? toOpenAIUsage(tally.reported) : null;
      return includeUsage && usage ? [JSON.stringify({ ...head, choices: [], usage })] : [];
    },
    error(e) {
      const err = obj(e.error);
      tally.error = { message: str(err.message) || "the upstream sent an error event", type: str(err.type) || "upstream_error", code: str(err.type) || null };
      return [];
    },
  };
  return {
    tally,
    translate(event) {
      let data: Record<string, unknown>;
      try {
        data = obj(JSON.parse(event.data));
      } catch {
        return [];
      }
      const type = str(data.type) || (event.event ?? "");
      return Object.hasOwn(on, type) ? on[type]!(data) : [];
    },
  };
}

/** Anthropic's Messages API. */
export const anthropicAdapter: Adapter = {
  path: "/messages",
  headers: (key) => ({ "anthropic-version": "2023-06-01", ...(key === undefined ? {} : { "x-api-key": key }) }),
  body: toAnthropicRequest,
  json: completionOf,
  translator: (request, nowMs) => anthropicTranslator(request.stream_options?.include_usage === true, nowMs),
};
