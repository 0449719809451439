/**
 * results.json of `experiment run`: the cells, each variant's aggregates and summary evaluators,
 * the paired comparisons with the control and, with a baseline, the gate's checks. The same file
 * is the next run's `--baseline`.
 *
 * @module
 */
import { aggregateEvaluator, compareVariants, quantile, scoreKind, type EvaluatorAggregate, type EvaluatorInfo, type GateCheck, type Score, type VariantComparison } from "@edgeflag/analysis";
import type { DatasetError, DatasetRecord } from "./dataset.ts";
import { loadModule, toScore } from "./evaluators.ts";
import type { CellResult } from "./runner.ts";
import type { EvaluatorSpec, SummarySpec } from "./spec.ts";

export const RESULTS_FORMAT = "edgeflag-offline-results/1";

/** The whole results document. */
export interface OfflineResults {
  format: typeof RESULTS_FORMAT;
  createdAt: string;
  config: string;
  flag: string;
  control: string;
  variants: string[];
  runs: number;
  dataset: { file: string; records: number; errors: DatasetError[] };
  evaluators: (EvaluatorInfo & { type: string })[];
  statistics: { alpha: number; bootstrap: { resamples: number; seed: number }; breakdown?: string; interval: "paired t" };
  aggregates: Record<string, EvaluatorAggregate[]>;
  summary: Record<string, Record<string, Score>>;
  comparisons: VariantComparison[];
  cache: { dir: string | null; hits: number };
  gate?: { baseline: string; pass: boolean; checks: GateCheck[] };
  records: { id: string; line: number; metadata: Record<string, unknown> }[];
  cells: CellResult[];
}

/** Each evaluator's kind, read from the scores it gave. */
export function evaluatorInfos(specs: readonly EvaluatorSpec[], cells: readonly CellResult[], higher: (s: EvaluatorSpec) => boolean): (EvaluatorInfo & { type: string })[] {
  return specs.map((s) => ({ name: s.name, type: s.type, kind: scoreKind(cells.map((c) => c.scores[s.name]?.value ?? null)), higherIsBetter: higher(s) }));
}

async function summarize(spec: SummarySpec, cells: CellResult[], records: Map<string, DatasetRecord>): Promise<Score> {
  const ok = cells.filter((c) => c.error === undefined);
  if (spec.type === "error-rate") return { value: cells.length === 0 ? null : (cells.length - ok.length) / cells.length };
  if (spec.type === "latency-p95") return { value: ok.length === 0 ? null : quantile(ok.map((c) => c.latencyMs!).sort((a, b) => a - b), 0.95) };
  if (spec.type === "total-cost") return { value: ok.reduce((s, c) => s + (c.cost ?? 0), 0) };
  const fn = await loadModule(spec.path!, "summary evaluator module");
  const view = cells.map((c) => ({ ...c, input: records.get(c.record)?.input, expected: records.get(c.record)?.expected, metadata: records.get(c.record)?.metadata }));
  try {
    return toScore(await fn(view));
  } catch (e) {
    return { value: null, reasoning: `the summary evaluator threw: ${(e as Error).message}` };
  }
}

/** What {@link buildResults} needs beyond the cells. */
export interface ResultsInput {
  config: string;
  flag: string;
  control: string;
  variants: string[];
  runs: number;
  datasetFile: string;
  records: DatasetRecord[];
  datasetErrors: DatasetError[];
  specs: EvaluatorSpec[];
  summary: SummarySpec[];
  evaluators: (EvaluatorInfo & { type: string })[];
  alpha: number;
  seed: number;
  resamples: number;
  breakdown?: string;
  cache: { dir: string | null; hits: number };
}

/**
 * Aggregates, summaries and comparisons of a finished run.
 *
 * @example
 * const results = await buildResults(input, cells);
 */
export async function buildResults(input: ResultsInput, cells: CellResult[]): Promise<OfflineResults> {
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const aggregates: Record<string, EvaluatorAggregate[]> = {};
  const summary: Record<string, Record<string, Score>> = {};
  for (const v of input.variants) {
    aggregates[v] = input.evaluators.map((e) => aggregateEvaluator(cells, v, e));
    summary[v] = {};
    for (const s of input.summary) summary[v]![s.name] = await summarize(s, cells.filter((c) => c.variant === v), byId);
  }
  const wantedEffects = Object.fromEntries(input.specs.filter((s) => s.effect !== undefined).map((s) => [s.name, s.effect!]));
  const metadata = new Map(input.records.map((r) => [r.id, r.metadata]));
  const comparisons = compareVariants(cells, input.control, input.variants, input.evaluators, { alpha: input.alpha, seed: input.seed, resamples: input.resamples, breakdown: input.breakdown, metadata, wantedEffects });
  return {
    format: RESULTS_FORMAT,
    createdAt: new Date().toISOString(),
    config: input.config,
    flag: input.flag,
    control: input.control,
    variants: input.variants,
    runs: input.runs,
    dataset: { file: input.datasetFile, records: input.records.length, errors: input.datasetErrors },
    evaluators: input.evaluators,
    statistics: { alpha: input.alpha, bootstrap: { resamples: input.resamples, seed: input.seed }, interval: "paired t", ...(input.breakdown ? { breakdown: input.breakdown } : {}) },
    aggregates,
    summary,
    comparisons,
    cache: input.cache,
    records: input.records.map((r) => ({ id: r.id, line: r.line, metadata: r.metadata })),
    cells,
  };
}
