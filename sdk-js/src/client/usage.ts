/**
 * Reading an LLM response's token usage and model: OpenAI (`usage.prompt_tokens`,
 * `completion_tokens`) and Anthropic (`usage.input_tokens`, `output_tokens`). Explicit metrics
 * always win over what the response says.
 *
 * @module
 */

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

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Usage and model read from an OpenAI- or Anthropic-shaped response; {} for anything else. */
export function usageOf(response: unknown): { inputTokens?: number; outputTokens?: number; model?: string } {
  if (typeof response !== "object" || response === null) return {};
  const r = response as { usage?: Record<string, unknown>; model?: unknown };
  const u = typeof r.usage === "object" && r.usage !== null ? r.usage : {};
  const out: { inputTokens?: number; outputTokens?: number; model?: string } = {};
  const input = num(u.prompt_tokens) ?? num(u.input_tokens);
  const output = num(u.completion_tokens) ?? num(u.output_tokens);
  if (input !== undefined) out.inputTokens = input;
  if (output !== undefined) out.outputTokens = output;
  if (typeof r.model === "string") out.model = r.model;
  return out;
}

const KNOWN = new Set(["latencyMs", "ttftMs", "inputTokens", "outputTokens", "cost", "error", "model"]);

/** Merges a response's usage with explicit metrics (explicit wins) into execution fields. */
export function executionFields(response: unknown, metrics: ExecutionMetrics = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...usageOf(response) };
  for (const key of ["latencyMs", "ttftMs", "inputTokens", "outputTokens", "cost"] as const) {
    const v = num(metrics[key]);
    if (v !== undefined) fields[key] = v;
  }
  if (typeof metrics.model === "string") fields.model = metrics.model;
  if (metrics.error !== undefined && metrics.error !== null && metrics.error !== false) {
    fields.error = metrics.error instanceof Error ? metrics.error.message : String(metrics.error);
  }
  const metadata = Object.fromEntries(Object.entries(metrics).filter(([k]) => !KNOWN.has(k)));
  if (Object.keys(metadata).length > 0) fields.metadata = metadata;
  return fields;
}
