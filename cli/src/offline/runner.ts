/**
 * Runs the cells of an offline experiment (every variant × record × run) with a bounded number in
 * flight, each through the cache, the task (the variant's model call, or the user's task module)
 * and the evaluators.
 *
 * @module
 */
import { isModelCall, type ModelCall } from "@edgeflag/config-schema";
import type { Score } from "@edgeflag/analysis";
import type { CallContext } from "@edgeflag/sdk/llm";
import { contentHash, type CellCache, type TaskResult } from "./cache.ts";
import type { DatasetRecord } from "./dataset.ts";
import type { Evaluate } from "./evaluators.ts";
import { callWithRetries, CallFailed, chatRequest, type RetryPolicy } from "./model-call.ts";
import type { Progress } from "./progress.ts";

/** A user task: `(input, variantValue, context) → output`, from `--task module.mjs`. */
export type TaskFunction = (input: unknown, variantValue: unknown, context: { variant: string; run: number; metadata: Record<string, unknown> }) => unknown;

/** Everything a run needs. */
export interface RunPlan {
  variants: { name: string; value: unknown }[];
  records: DatasetRecord[];
  runs: number;
  concurrency: number;
  task?: { fn: TaskFunction; hash: string };
  cache: CellCache;
  ctx: CallContext;
  retry: RetryPolicy;
  evaluators: { name: string; evaluate: Evaluate }[];
  progress: Progress;
}

/** One finished cell, as results.json lists it. */
export interface CellResult extends Partial<TaskResult> {
  variant: string;
  record: string;
  run: number;
  cached: boolean;
  error?: string;
  scores: Record<string, Score>;
}

async function runTask(plan: RunPlan, variant: { name: string; value: unknown }, record: DatasetRecord, run: number): Promise<TaskResult> {
  if (plan.task) {
    const start = performance.now();
    const output = await plan.task.fn(record.input, variant.value, { variant: variant.name, run, metadata: record.metadata });
    return { output, latencyMs: Math.round((performance.now() - start) * 1000) / 1000, attempts: 1 };
  }
  if (!isModelCall(variant.value)) throw new CallFailed(`variant ${variant.name} is not a model call; pass --task to run it through a task module`, undefined, 0);
  const { text, record: r, attempts } = await callWithRetries(variant.value as ModelCall, chatRequest(record.input, record.metadata), plan.ctx, variant.name, plan.retry);
  return {
    output: text,
    latencyMs: r.latencyMs,
    ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}),
    ...(r.cost !== undefined ? { cost: r.cost } : {}),
    ...(r.usage ? { usage: { inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, cachedInputTokens: r.usage.cachedInputTokens } } : {}),
    attempts,
  };
}

async function score(plan: RunPlan, record: DatasetRecord, result: TaskResult): Promise<Record<string, Score>> {
  const view = { input: record.input, output: typeof result.output === "string" ? result.output : JSON.stringify(result.output), expected: record.expected, metadata: record.metadata, latencyMs: result.latencyMs, ...(result.cost !== undefined ? { cost: result.cost } : {}) };
  const scores: Record<string, Score> = {};
  for (const e of plan.evaluators) {
    try {
      scores[e.name] = await e.evaluate(view);
    } catch (err) {
      scores[e.name] = { value: null, reasoning: `the evaluator threw: ${(err as Error).message}` };
    }
  }
  return scores;
}

/** The cache key of a variant: its value's content (and the task module's, when one runs it). */
export function variantHash(plan: Pick<RunPlan, "task">, value: unknown): string {
  return contentHash(value, plan.task?.hash ?? null);
}

async function runCell(plan: RunPlan, variant: { name: string; value: unknown; hash: string }, record: DatasetRecord, run: number): Promise<CellResult> {
  const recordKey = contentHash(record.id, record.input, record.metadata);
  const base = { variant: variant.name, record: record.id, run };
  let result = plan.cache.get(variant.hash, recordKey, run);
  const cached = result !== undefined;
  if (!result) {
    try {
      result = await runTask(plan, variant, record, run);
    } catch (e) {
      plan.progress.tick("failed");
      const attempts = e instanceof CallFailed ? e.attempts : 1;
      return { ...base, cached: false, error: (e as Error).message, attempts, scores: {} };
    }
    plan.cache.put(variant.hash, recordKey, run, result);
  }
  const scores = await score(plan, record, result);
  plan.progress.tick(cached ? "cached" : "ran");
  return { ...base, cached, ...result, scores };
}

/**
 * Runs every cell, at most `concurrency` at a time, and returns them ordered by variant, record, run.
 *
 * @example
 * const cells = await runCells(plan);
 */
export async function runCells(plan: RunPlan): Promise<CellResult[]> {
  const variants = plan.variants.map((v) => ({ ...v, hash: variantHash(plan, v.value) }));
  const jobs = variants.flatMap((v) => plan.records.flatMap((r) => Array.from({ length: plan.runs }, (_, run) => ({ v, r, run }))));
  const out = new Array<CellResult>(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) out[i] = await runCell(plan, jobs[i]!.v, jobs[i]!.r, jobs[i]!.run);
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, jobs.length) }, worker));
  plan.progress.done();
  return out;
}
