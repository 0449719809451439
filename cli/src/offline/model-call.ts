/**
 * One model call of the offline runner through the router's own adapters (`callModel` of
 * `@edgeflag/sdk/llm`), with retries on what the router would fall back on (429, 5xx, timeouts):
 * exponential backoff from `baseMs`, or the upstream's Retry-After when it gave one, capped.
 *
 * @module
 */
import { callModel, type AttemptRecord, type CallContext, type ChatMessage, type ChatRequest } from "@edgeflag/sdk/llm";
import type { ModelCall } from "@edgeflag/config-schema";

/** How a failed attempt is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt; default 4. */
  retries: number;
  /** First backoff; doubled each retry. */
  baseMs: number;
  /** The longest wait, Retry-After included. */
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseMs: 500, capMs: 30_000 };

/** A finished call: the answer's text and the last attempt's record. */
export interface CallOutcome {
  text: string;
  record: AttemptRecord;
  attempts: number;
}

/** A call that failed for good: the last attempt's message and record. */
export class CallFailed extends Error {
  readonly record: AttemptRecord | undefined;
  readonly attempts: number;
  constructor(message: string, record: AttemptRecord | undefined, attempts: number) {
    super(message);
    this.record = record;
    this.attempts = attempts;
  }
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable.
 *
 * @example
 * retryAfterMs("2", 0) // 2000
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The chat request for a dataset input: a string is the user message, an array the messages, an object with `messages` is used as is. */
export function chatRequest(input: unknown, metadata: Record<string, unknown>): ChatRequest {
  const strings = Object.fromEntries(Object.entries(metadata).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const base = { model: "offline", stream: false, ...(Object.keys(strings).length ? { metadata: strings } : {}) };
  if (typeof input === "string") return { ...base, messages: [{ role: "user", content: input }] };
  if (Array.isArray(input)) return { ...base, messages: input as ChatMessage[] };
  if (input !== null && typeof input === "object" && Array.isArray((input as ChatRequest).messages)) return { ...base, ...(input as ChatRequest), stream: false };
  return { ...base, messages: [{ role: "user", content: JSON.stringify(input) }] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attempt(call: ModelCall, request: ChatRequest, ctx: CallContext, variant: string): Promise<{ outcome?: CallOutcome; retryable: boolean; waitMs?: number; message: string; record?: AttemptRecord }> {
  let waitMs: number | undefined;
  const watched: typeof fetch = async (input, init) => {
    const response = await ctx.fetch(input, init);
    waitMs = retryAfterMs(response.headers.get("retry-after"), ctx.now());
    return response;
  };
  const result = await callModel(call, request, { ...ctx, fetch: watched }, { variant });
  if (!result.ok) return { retryable: result.retryable, waitMs, message: `${result.status} ${result.error.message}`, record: result.record };
  const body = (await result.response.json().catch(() => null)) as { choices?: { message?: { content?: unknown } }[] } | null;
  const record = await result.record;
  const content = body?.choices?.[0]?.message?.content;
  if (typeof content !== "string") return { retryable: false, message: "the answer has no text content", record };
  return { outcome: { text: content, record, attempts: 0 }, retryable: false, message: "" };
}

/**
 * Calls the model, retrying 429/5xx/timeouts per `policy`; throws {@link CallFailed} at the end.
 *
 * @example
 * const { text, record } = await callWithRetries(variantValue, chatRequest("2+2?", {}), ctx, "b");
 */
export async function callWithRetries(call: ModelCall, request: ChatRequest, ctx: CallContext, variant: string, policy: RetryPolicy = DEFAULT_RETRY): Promise<CallOutcome> {
  for (let n = 0; ; n++) {
    const a = await attempt(call, request, ctx, variant);
    if (a.outcome) return { ...a.outcome, attempts: n + 1 };
    if (!a.retryable || n >= policy.retries) throw new CallFailed(a.message, a.record, n + 1);
    await sleep(Math.min(policy.capMs, a.waitMs ?? policy.baseMs * 2 ** n));
  }
}
