/**
 * The contract between the model-call parts (issue 14): the variant value that describes a model
 * call, what one call to an upstream records, and the provider adapter's entry point. The JSON
 * Schema `$defs/ModelCall` of config-schema/schema/flag-config.v1.json and the execution event's
 * fields in event.v1.json are the source of truth; once their generated types exist, `ModelCall`
 * here re-exports the generated one.
 *
 * @module
 */

/** Which wire format the upstream speaks; `fixed` calls nobody and answers `answer`. */
export type Provider = "openai" | "anthropic" | "openai-compatible" | "fixed";

/** A variant value that describes a model call: generated from the schema's `$defs/ModelCall`. */
export type { ModelCall } from "@edgeflag/config-schema";

/** How the token counts were obtained: reported by the upstream, the part reported before a cut, or counted by us. */
export type UsageSource = "provider" | "partial" | "estimated";

/** Token counts of one call. Input excludes cached input (so cost = input·p + cached·pc + output·po). */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  /** Anthropic cache_creation_input_tokens; 0 elsewhere. */
  cacheWriteTokens: number;
  /** Includes reasoning tokens (OpenAI's completion_tokens does). */
  outputTokens: number;
  reasoningTokens: number;
  source: UsageSource;
}

/** One attempt at one variant's upstream (the assigned one, then its fallback…). */
export interface AttemptRecord {
  variant: string;
  provider: Provider;
  model?: string;
  /** The upstream's HTTP status, 0 for a timeout or a network failure, 200 for `fixed`. */
  status: number;
  latencyMs: number;
  /** To the first non-empty content delta (or the whole answer when not streaming); absent when none came. */
  ttftMs?: number;
  usage?: Usage;
  /** USD, from the variant's prices; absent without prices. */
  cost?: number;
  /** OpenAI's finish_reason vocabulary: stop, length, tool_calls, content_filter; absent when cut. */
  finishReason?: string;
  /** True when the stream ended without [DONE] / message_stop / a finish reason. */
  truncated?: boolean;
  /** A short reason, never a secret or an upstream header. */
  error?: string;
}

/** What the provider adapter needs from its host. */
export interface CallContext {
  fetch: typeof fetch;
  /** The secret's value, or undefined when unset. */
  secret(name: string): string | undefined;
  /** Origins (scheme://host[:port]) the secret may be sent to; a call elsewhere is refused before any fetch. */
  allowedOrigins(secretName: string): readonly string[];
  now(): number;
}

/**
 * One attempt's outcome. `ok: false` before the first byte, with `retryable` true for 5xx, 429 and
 * timeouts (the router then tries the fallback). `ok: true` gives the OpenAI-shaped response for
 * the client (JSON, or an SSE stream that ends with `data: [DONE]` or, when the upstream cut it,
 * an SSE error event) and the record, which settles when the body has been fully passed on, cut,
 * or cancelled by the client.
 */
export type AttemptResult =
  | { ok: true; response: Response; record: Promise<AttemptRecord> }
  | { ok: false; retryable: boolean; status: number; error: { message: string; type: string; code: string | null; param?: string | null }; record: AttemptRecord };

/** One part of a message's content (OpenAI's shapes; only `text` parts reach Anthropic). */
export type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } }
  | { type: string; [field: string]: unknown };

/** An assistant's call of a tool (OpenAI's `tool_calls[]`). */
export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** One message of a chat.completions request. */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool" | (string & {});
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  [field: string]: unknown;
}

/**
 * The body of OpenAI's `POST /chat/completions`. The fields edgeflag reads are typed; any other
 * field passes through unchanged to OpenAI-style upstreams. `metadata` (a string map) feeds the
 * variant's template variables and is never sent upstream.
 */
export interface ChatRequest {
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [field: string]: unknown } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  tools?: { type: "function"; function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null } }[];
  tool_choice?: "none" | "auto" | "required" | { type: "function"; function: { name: string } };
  parallel_tool_calls?: boolean;
  user?: string;
  metadata?: Record<string, string> | null;
  [field: string]: unknown;
}

/** The error of an OpenAI-shaped error body, `{ error: ChatError }`. */
export interface ChatError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** The options of `callModel`: which variant the call is for (recorded) and the caller's abort signal. */
export interface CallOptions {
  variant: string;
  signal?: AbortSignal;
}
