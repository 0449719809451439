/**
 * One execution record per routed call, from its attempts: intent-to-treat (`variant` stays the
 * assigned one), with the variant that answered, whether a fallback did, every attempt, and the
 * answering attempt's usage, cost, finish reason and how its usage was obtained. Latency and time
 * to first token count from the first attempt (the caller waited through the failed ones).
 *
 * @module
 */
import type { ExecutionMetrics } from "../client/usage.ts";
import type { AttemptRecord } from "../llm/types.ts";

/** An attempt as the execution event holds it: its usage flattened beside its status and timings. */
function attemptOf(a: AttemptRecord): NonNullable<ExecutionMetrics["attempts"]>[number] {
  const { usage, ...rest } = a;
  if (usage === undefined) return rest;
  const { source, ...tokens } = usage;
  return { ...rest, ...tokens, usageSource: source };
}

/**
 * The execution fields of a call whose attempts were `attempts` (the last one answered, or was
 * the last refusal when `answered` is false).
 *
 * @example
 * assignment.record(undefined, executionOf(attempts, "gpt-4o", true, { stream: false }));
 */
export function executionOf(attempts: readonly AttemptRecord[], assigned: string, answered: boolean, extra: { stream: boolean }): ExecutionMetrics {
  const last = attempts[attempts.length - 1]!;
  const before = attempts.slice(0, -1).reduce((ms, a) => ms + a.latencyMs, 0);
  const costs = attempts.map((a) => a.cost).filter((c): c is number => c !== undefined);
  const u = last.usage;
  const fields: ExecutionMetrics = {
    provider: last.provider,
    model: last.model,
    stream: extra.stream,
    latencyMs: before + last.latencyMs,
    ttftMs: last.ttftMs === undefined ? undefined : before + last.ttftMs,
    cost: costs.length > 0 ? costs.reduce((a, b) => a + b, 0) : undefined,
    finishReason: last.finishReason,
    truncated: last.truncated,
    error: last.error,
    attempts: attempts.map(attemptOf),
  };
  if (answered) Object.assign(fields, { servedVariant: last.variant, fallback: last.variant !== assigned });
  if (u !== undefined) {
    Object.assign(fields, { inputTokens: u.inputTokens, cachedInputTokens: u.cachedInputTokens, cacheWriteTokens: u.cacheWriteTokens, outputTokens: u.outputTokens, reasoningTokens: u.reasoningTokens, usageSource: u.source });
  }
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ExecutionMetrics;
}
