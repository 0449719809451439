/**
 * Types of the evaluation core's inputs and outputs (contract 2 of DESIGN.md).
 *
 * @module
 */

/** An attribute value. `null` and anything that is not a string, number or boolean count as missing. */
export type AttributeValue = string | number | boolean | null | undefined;

/** Who is being evaluated. */
export interface EvaluationContext {
  /** The subject key that is hashed into buckets: a user id, a session id, an anonymous id. */
  subject: string;
  /** Targeting attributes: country, plan, app version… */
  attributes?: Readonly<Record<string, AttributeValue>>;
  /** The instant of evaluation in ms since the epoch, for time windows; default `Date.now()`. */
  now?: number;
}

/** Why a flag evaluated as it did. */
export type Reason = "FLAG_NOT_FOUND" | "DISABLED" | "TARGETING_MATCH" | "SPLIT" | "DEFAULT" | "ERROR";

/** What went wrong when the reason is `ERROR`. */
export type ErrorCode = "INVALID_FLAG" | "INVALID_CONTEXT" | "INVALID_CONFIG";

/** The outcome of one evaluation. Results that do not depend on the caller are shared and frozen. */
export interface EvaluationResult {
  flag: string;
  /** The variant key, or null when the caller's default was served. */
  variant: string | null;
  value: unknown;
  /** The allocation that decided, or null. */
  allocation: string | null;
  reason: Reason;
  /** Whether this exposure should be logged (the allocation's `log`). */
  log: boolean;
  errorCode?: ErrorCode;
  errorMessage?: string;
}
