/**
 * The contract between the model-call parts (issue 14): the variant value that describes a model
 * call, what one call to an upstream records, and the provider adapter's entry point. The JSON
 * Schema `$defs/ModelCall` of config-schema/schema/flag-config.v1.json and the execution event's
 * fields in event.v1.json are the source of truth; `ModelCall` here is the type generated from it.
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
  | { ok: false; retryable: boolean; status: number; error: { message: string; type: string; code: string | null }; record: AttemptRecord };
