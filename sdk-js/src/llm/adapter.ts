/**
 * What each upstream wire format supplies to `callModel`: its path, auth headers, request body,
 * and how its answers become OpenAI's.
 *
 * @module
 */
import type { Tally } from "./record.ts";
import type { Translator } from "./relay.ts";
import type { ChatRequest, ModelCall } from "./types.ts";

/** One wire format. */
export interface Adapter {
  /** Appended to the base URL. */
  path: string;
  /** The key's headers (none without a key). */
  headers(key: string | undefined): Record<string, string>;
  /** The upstream's request body from the rewritten request; throws ModelRequestError for what it cannot send. */
  body(request: ChatRequest): unknown;
  /** A JSON answer as OpenAI's chat.completion, and what it tallies. */
  json(body: unknown, nowMs: number): { body: unknown; tally: Tally };
  /** The stream translator for one call. */
  translator(request: ChatRequest, nowMs: number): Translator;
}

/** Milliseconds to the first byte, and the longest silence inside a stream, when a variant names none. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The variant's timeout. */
export const timeoutOf = (call: ModelCall): number => call.timeoutMs ?? DEFAULT_TIMEOUT_MS;

/** The base URL when a variant names none. */
export const DEFAULT_BASE_URL: Partial<Record<ModelCall["provider"], string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
};

/**
 * The URL a variant's call goes to, or undefined when it has no valid base URL.
 *
 * @example
 * endpoint({ provider: "anthropic", model: "claude-sonnet-4-5" }, "/messages"); // "https://api.anthropic.com/v1/messages"
 */
export function endpoint(call: ModelCall, path: string): URL | undefined {
  const base = call.baseUrl ?? DEFAULT_BASE_URL[call.provider];
  if (base === undefined || !URL.canParse(base)) return undefined;
  const url = new URL(base);
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  return url;
}
