/**
 * The evaluators of an offline experiment: each spec becomes a function from a finished cell to a
 * score. Built-ins are pure; `llm-judge` calls its model through the router's adapters; `module`
 * imports the user's file, whose default export is `(input, output, expected, context) → number |
 * boolean | string | { value?, reasoning?, assessment?: "pass" | "fail" }`.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Validator } from "@cfworker/json-schema";
import type { Score, ScoreValue } from "@edgeflag/analysis";
import type { CallContext } from "@edgeflag/sdk/llm";
import { CliError } from "../io.ts";
import { callWithRetries, chatRequest, type RetryPolicy } from "./model-call.ts";
import type { EvaluatorSpec } from "./spec.ts";
import { editSimilarity, tokenF1 } from "./text-metrics.ts";

/** What an evaluator sees of one cell. */
export interface CellView {
  input: unknown;
  /** The task's output as text (JSON for a non-string output of a task module). */
  output: string;
  expected?: unknown;
  metadata: Record<string, unknown>;
  latencyMs: number;
  cost?: number;
}

export type Evaluate = (cell: CellView) => Promise<Score>;

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** A module's default export, loaded once. */
export async function loadModule(path: string, what: string): Promise<(...args: unknown[]) => unknown> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (e) {
    throw new CliError(`cannot load the ${what} ${path}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (typeof mod.default !== "function") throw new CliError(`the ${what} ${path} must have a default export that is a function`);
  return mod.default as (...args: unknown[]) => unknown;
}

/** A module's answer as a score: numbers, booleans and strings as they are; `{ value, reasoning, assessment }` unpacked. */
export function toScore(answer: unknown): Score {
  if (answer === null || answer === undefined) return { value: null };
  if (typeof answer === "number" || typeof answer === "boolean" || typeof answer === "string") return { value: answer };
  if (typeof answer === "object") {
    const { value, reasoning, assessment } = answer as { value?: unknown; reasoning?: unknown; assessment?: unknown };
    const v: ScoreValue = typeof value === "number" || typeof value === "boolean" || typeof value === "string" ? value : assessment === "pass" ? true : assessment === "fail" ? false : null;
    return { value: v, ...(typeof reasoning === "string" ? { reasoning } : {}) };
  }
  return { value: null };
}

const JUDGE_SYSTEM = 'You grade an answer against a rubric. Reply with JSON only: {"score": <a number from 0 to 1>, "reasoning": "<one or two sentences>"}.';

/** The judge's prompt; one line per field so a reader (and the mock grader) can find them. */
export function judgePrompt(rubric: string, cell: CellView): string {
  const line = (v: unknown) => asText(v).replace(/\s*\n\s*/g, " ");
  return `Rubric: ${rubric}\nInput: ${line(cell.input)}\nExpected: ${cell.expected === undefined ? "" : line(cell.expected)}\nOutput: ${line(cell.output)}`;
}

/** The judge's reply as a score: the first JSON object in it, `score` clamped to [0, 1]. */
export function parseJudge(text: string): Score {
  const match = text.match(/\{[\s\S]*\}/);
  try {
    const parsed = JSON.parse(match?.[0] ?? "") as { score?: unknown; reasoning?: unknown };
    if (typeof parsed.score !== "number" || !Number.isFinite(parsed.score)) throw new Error("no score");
    return { value: Math.min(1, Math.max(0, parsed.score)), ...(typeof parsed.reasoning === "string" ? { reasoning: parsed.reasoning } : {}) };
  } catch {
    return { value: null, reasoning: `the judge's reply has no {"score": number}: ${text.slice(0, 200)}` };
  }
}

function normalize(spec: EvaluatorSpec, text: string): string {
  const t = spec.trim === false ? text : text.trim();
  return spec.caseSensitive ? t : t.toLowerCase();
}

function jsonEvaluator(spec: EvaluatorSpec): Evaluate {
  const validator = spec.schema ? new Validator(spec.schema as object, "2020-12", false) : undefined;
  return async ({ output }) => {
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch (e) {
      return { value: false, reasoning: `not JSON: ${(e as Error).message}` };
    }
    const result = validator?.validate(value);
    if (result && !result.valid) return { value: false, reasoning: result.errors.slice(-1).map((e) => `${e.instanceLocation}: ${e.error}`).join("; ") };
    return { value: true };
  };
}

/**
 * Builds one evaluator. `ctx` and `retry` serve the LLM judge.
 *
 * @example
 * const score = await (await buildEvaluator({ name: "f1", type: "token-f1" }, ctx, retry))(cell);
 */
export async function buildEvaluator(spec: EvaluatorSpec, ctx: CallContext, retry: RetryPolicy): Promise<Evaluate> {
  const withExpected = (f: (output: string, expected: string) => ScoreValue): Evaluate => async (cell) => ({ value: cell.expected === undefined ? null : f(cell.output, asText(cell.expected)) });
  switch (spec.type) {
    case "exact-match":
      return withExpected((o, e) => normalize(spec, o) === normalize(spec, e));
    case "contains":
      return async (cell) => {
        const needle = spec.value ?? (cell.expected === undefined ? undefined : asText(cell.expected));
        return { value: needle === undefined ? null : normalize(spec, cell.output).includes(normalize(spec, needle)) };
      };
    case "regex": {
      const re = new RegExp(spec.pattern!, spec.flags ?? "");
      return async ({ output }) => ({ value: re.test(output) });
    }
    case "json":
      return jsonEvaluator(spec);
    case "token-f1":
      return withExpected(tokenF1);
    case "similarity":
      return withExpected(editSimilarity);
    case "latency":
      return async ({ latencyMs }) => ({ value: latencyMs });
    case "cost":
      return async ({ cost }) => ({ value: cost ?? null });
    case "llm-judge":
      return async (cell) => {
        const request = chatRequest([{ role: "system", content: JUDGE_SYSTEM }, { role: "user", content: judgePrompt(spec.rubric!, cell) }], {});
        try {
          return parseJudge((await callWithRetries(spec.model!, request, ctx, `judge:${spec.name}`, retry)).text);
        } catch (e) {
          return { value: null, reasoning: `the judge failed: ${(e as Error).message}` };
        }
      };
    case "module": {
      const fn = await loadModule(spec.path!, "evaluator module");
      return async (cell) => toScore(await fn(cell.input, cell.output, cell.expected, { metadata: cell.metadata, latencyMs: cell.latencyMs, cost: cell.cost }));
    }
  }
}

/** Latency and cost are better lower; every other built-in higher; a spec may say otherwise. */
export function higherIsBetter(spec: EvaluatorSpec): boolean {
  return spec.higherIsBetter ?? !(spec.type === "latency" || spec.type === "cost");
}
