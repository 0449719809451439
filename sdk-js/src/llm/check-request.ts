/**
 * The shape check of a chat request before anything reads it: only the fields edgeflag itself
 * reads are checked (the upstream judges the rest), each failure a 400 whose `param` is the JSON
 * pointer of the field.
 *
 * @module
 */
import { ModelRequestError } from "./errors.ts";
import type { ChatRequest } from "./types.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const bad = (pointer: string, what: string): never => {
  throw new ModelRequestError(`${pointer || "the body"}: must be ${what}`, "invalid_request", pointer || null);
};

function checkContent(content: unknown, at: string): void {
  if (content === undefined || content === null || typeof content === "string") return;
  if (!Array.isArray(content)) bad(`${at}/content`, "a string, an array of content parts, or null");
  (content as unknown[]).forEach((part, j) => {
    if (!isObject(part) || typeof part.type !== "string") bad(`${at}/content/${j}`, "a content part with a string type");
    if ((part as { type: string }).type === "text" && typeof (part as { text?: unknown }).text !== "string") bad(`${at}/content/${j}/text`, "a string");
  });
}

function checkToolCalls(calls: unknown, at: string): void {
  if (calls === undefined || calls === null) return;
  if (!Array.isArray(calls)) bad(`${at}/tool_calls`, "an array");
  (calls as unknown[]).forEach((call, k) => {
    const fn = isObject(call) ? call.function : undefined;
    if (!isObject(call) || typeof call.id !== "string") bad(`${at}/tool_calls/${k}/id`, "a string");
    if (!isObject(fn) || typeof fn.name !== "string") bad(`${at}/tool_calls/${k}/function/name`, "a string");
    if (typeof (fn as { arguments?: unknown }).arguments !== "string") bad(`${at}/tool_calls/${k}/function/arguments`, "a string");
  });
}

function checkTools(r: Record<string, unknown>): void {
  if (r.tools !== undefined && r.tools !== null) {
    if (!Array.isArray(r.tools)) bad("/tools", "an array");
    (r.tools as unknown[]).forEach((tool, i) => {
      if (!isObject(tool) || (tool.type === "function" && (!isObject(tool.function) || typeof tool.function.name !== "string"))) bad(`/tools/${i}/function/name`, "a string");
    });
  }
  const choice = r.tool_choice;
  if (choice !== undefined && choice !== null && typeof choice !== "string") {
    if (!isObject(choice) || !isObject(choice.function) || typeof choice.function.name !== "string") bad("/tool_choice", 'a string or {"type":"function","function":{"name":…}}');
  }
}

/**
 * Throws ModelRequestError (a 400 with the field's pointer) unless `body` has the shape callModel reads.
 *
 * @example
 * checkChatRequest({ messages: "hi" }); // throws: "/messages: must be an array of messages"
 */
export function checkChatRequest(body: unknown): asserts body is ChatRequest {
  if (!isObject(body)) bad("", "a JSON object");
  const r = body as Record<string, unknown>;
  if (!Array.isArray(r.messages)) bad("/messages", "an array of messages");
  (r.messages as unknown[]).forEach((m, i) => {
    const at = `/messages/${i}`;
    if (!isObject(m)) bad(at, "an object");
    if (typeof (m as { role?: unknown }).role !== "string") bad(`${at}/role`, "a string");
    checkContent((m as { content?: unknown }).content, at);
    checkToolCalls((m as { tool_calls?: unknown }).tool_calls, at);
  });
  if (r.metadata !== undefined && r.metadata !== null) {
    if (!isObject(r.metadata)) bad("/metadata", "an object of strings");
    for (const [k, v] of Object.entries(r.metadata as object)) if (typeof v !== "string") bad(`/metadata/${k}`, "a string");
  }
  if (r.stream !== undefined && r.stream !== null && typeof r.stream !== "boolean") bad("/stream", "a boolean");
  if (r.stream_options !== undefined && r.stream_options !== null && !isObject(r.stream_options)) bad("/stream_options", "an object");
  if (r.stop !== undefined && r.stop !== null && typeof r.stop !== "string" && !(Array.isArray(r.stop) && r.stop.every((s) => typeof s === "string"))) bad("/stop", "a string or an array of strings");
  checkTools(r);
}
