/**
 * What an adapter learns while it passes an answer on (the tally), and the attempt record made
 * from it once the answer is complete, cut or cancelled.
 *
 * @module
 */
import { failure, fitText, MAX_ERROR_CHARS } from "./errors.ts";
import { costOf, settleUsage, type Counts } from "./usage.ts";
import type { AttemptRecord, AttemptResult, ModelCall, UsageSource } from "./types.ts";

/** Filled by a translator as upstream events go by. */
export interface Tally {
  /** Counts the upstream reported so far. */
  reported?: Counts;
  /** Characters of content and tool-call arguments passed on. */
  outputChars: number;
  finishReason?: string;
  /** The upstream's end marker (`[DONE]`, `message_stop`) arrived. */
  done: boolean;
  /** An error event from the upstream, in OpenAI's shape. */
  error?: { message: string; type: string; code: string | null };
}

/** The event schema's `finishReason` and `model` maxLength (event.v1.json): longer ones are cut. */
const MAX_FINISH_REASON = 32;
const MAX_MODEL = 128;

/** A fresh tally. */
export const newTally = (): Tally => ({ outputChars: 0, done: false });

/** How one attempt ended. */
export interface Outcome {
  complete: boolean;
  latencyMs: number;
  ttftMs?: number;
  /** Why it is incomplete. */
  error?: string;
}

/** Makes the records of one attempt: the variant, the call, and what was sent. */
export interface Recorder {
  /** The record once the answer ended (complete, cut or cancelled). */
  finish(tally: Tally, outcome: Outcome): AttemptRecord;
  /** An `ok: false` result (nothing reached the client). */
  fail(recordStatus: number, status: number, retryable: boolean, error: { message: string; type: string; code: string | null; param?: string | null }, latencyMs: number): Extract<AttemptResult, { ok: false }>;
}

/**
 * A recorder for one attempt. `inputChars` feeds the estimate when the upstream reports no usage;
 * `source` forces the usage source (the `fixed` provider always estimates).
 *
 * @example
 * const rec = recorder(call, "gpt-4o", 120);
 * rec.finish(tally, { complete: true, latencyMs: 830, ttftMs: 240 });
 */
export function recorder(call: ModelCall, variant: string, inputChars: number, source?: UsageSource): Recorder {
  // A config's model id may be 256 characters, an event's 128: one longer and the whole execution is refused.
  const base = { variant, provider: call.provider, ...(call.model === undefined ? {} : { model: fitText(call.model, MAX_MODEL, "") }) };
  return {
    finish(tally, outcome) {
      const found = settleUsage({ reported: tally.reported, outputChars: tally.outputChars, inputChars }, outcome.complete);
      const usage = source ? { ...found, source } : found;
      const cost = costOf(usage, call.prices) ?? (call.provider === "fixed" ? 0 : undefined);
      const record: AttemptRecord = { ...base, status: 200, latencyMs: outcome.latencyMs, usage };
      if (outcome.ttftMs !== undefined) record.ttftMs = outcome.ttftMs;
      if (cost !== undefined) record.cost = cost;
      if (!outcome.complete) record.truncated = true;
      else if (tally.finishReason !== undefined) record.finishReason = fitText(tally.finishReason, MAX_FINISH_REASON, "");
      if (outcome.error !== undefined) record.error = fitText(outcome.error, MAX_ERROR_CHARS);
      return record;
    },
    fail: (recordStatus, status, retryable, error, latencyMs) => failure({ ...base, latencyMs }, recordStatus, status, retryable, error),
  };
}
