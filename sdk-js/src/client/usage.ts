/**
 * Reading an LLM response's token usage and model: OpenAI (`usage.prompt_tokens`,
 * `completion_tokens`) and Anthropic (`usage.input_tokens`, `output_tokens`). Explicit metrics
 * always win over what the response says.
 *
 * @module
 */
import type { ExecutionEvent } from "@edgeflag/config-schema";

/**
 * The execution fields a model router records beyond the basic ones (event.v1.json's
 * ExecutionEvent, whose generated type this picks from): `record()`'s third argument, put in the
 * event as they are. `variant` is set only on a shadow record (the shadow variant); every other
 * record keeps the assigned variant (intent-to-treat).
 */
export type RoutedExecution = Pick<ExecutionEvent, "servedVariant" | "fallback" | "shadow" | "provider" | "stream" | "cachedInputTokens" | "cacheWriteTokens" | "reasoningTokens" | "finishReason" | "truncated" | "usageSource" | "attempts"> & { variant?: string };

/** What `assignment.record()` takes besides the response; any other key goes to `metadata`. */
export interface ExecutionMetrics {
  latencyMs?: number;
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  error?: unknown;
  model?: string;
  [metadata: string]: unknown;
}

const num = (v: unknown): number | undefined => (Number.isFinite(v) ? (v as number) : undefined);
const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

/** Usage and model read from an OpenAI- or Anthropic-shaped response; {} for anything else. */
export function usageOf(response: unknown): { inputTokens?: number; outputTokens?: number; model?: string } {
  const r = record(response);
  const u = record(r.usage);
  const found = {
    inputTokens: num(u.prompt_tokens) ?? num(u.input_tokens),
    outputTokens: num(u.completion_tokens) ?? num(u.output_tokens),
    model: typeof r.model === "string" ? r.model : undefined,
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

const NUMERIC = ["latencyMs", "ttftMs", "inputTokens", "outputTokens", "cost"];

/** Merges a response's usage with explicit metrics (explicit wins) into execution fields. */
export function executionFields(response: unknown, metrics: ExecutionMetrics = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = usageOf(response);
  const metadata: Record<string, unknown> = {};
  for (let [key, v] of Object.entries(metrics)) {
    if (NUMERIC.includes(key)) v = num(v);
    else if (key === "model") v = typeof v === "string" ? v : undefined;
    else if (key === "error") v = v === undefined || v === null || v === false ? undefined : v instanceof Error ? v.message : String(v);
    else {
      metadata[key] = v;
      continue;
    }
    if (v !== undefined) fields[key] = v;
  }
  if (Object.keys(metadata).length > 0) fields.metadata = metadata;
  return fields;
}
