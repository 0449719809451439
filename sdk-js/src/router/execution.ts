/**
 * One execution record per routed call, from its attempts: intent-to-treat (`variant` stays the
 * assigned one), with the variant that answered, whether a fallback did, every attempt, and the
 * answering attempt's usage, cost, finish reason and how its usage was obtained. Latency and time
 * to first token count from the first attempt (the caller waited through the failed ones).
 *
 * @module
 */
import type { ExecutionMetrics, RoutedExecution } from "../client/usage.ts";
import type { AttemptRecord } from "../llm/types.ts";

/** An attempt as the execution event holds it: its usage flattened beside its status and timings. */
function attemptOf(a: AttemptRecord): NonNullable<RoutedExecution["attempts"]>[number] {
  const { usage, ...rest } = a;
  if (usage === undefined) return rest;
  const { source, ...tokens } = usage;
  return { ...rest, ...tokens, usageSource: source };
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * The execution of a call whose attempts were `attempts` (the last one answered, or was the last
 * refusal when `answered` is false): the basic metrics and the router's own fields, the two
 * arguments `assignment.record()` takes after the response.
 *
 * @example
 * const { metrics, routed } = executionOf(attempts, "gpt-4o", true, { stream: false });
 * assignment.record(undefined, metrics, routed);
 */
export function executionOf(attempts: readonly AttemptRecord[], assigned: string, answered: boolean, extra: { stream: boolean }): { metrics: ExecutionMetrics; routed: RoutedExecution } {
  const last = attempts[attempts.length - 1]!;
  const before = attempts.slice(0, -1).reduce((ms, a) => ms + a.latencyMs, 0);
  const costs = attempts.map((a) => a.cost).filter((c): c is number => c !== undefined);
  const u = last.usage;
  const metrics: ExecutionMetrics = {
    model: last.model,
    latencyMs: before + last.latencyMs,
    ttftMs: last.ttftMs === undefined ? undefined : before + last.ttftMs,
    cost: costs.length > 0 ? costs.reduce((a, b) => a + b, 0) : undefined,
    error: last.error,
    inputTokens: u?.inputTokens,
    outputTokens: u?.outputTokens,
  };
  const routed: RoutedExecution = {
    provider: last.provider,
    stream: extra.stream,
    finishReason: last.finishReason,
    truncated: last.truncated === true,
    attempts: attempts.map(attemptOf),
    ...(answered && { servedVariant: last.variant, fallback: last.variant !== assigned }),
    ...(u && { cachedInputTokens: u.cachedInputTokens, cacheWriteTokens: u.cacheWriteTokens, reasoningTokens: u.reasoningTokens, usageSource: u.source }),
  };
  return { metrics: defined(metrics), routed: defined(routed) };
}
