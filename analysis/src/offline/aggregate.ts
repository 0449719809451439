/**
 * Several runs of the same records, reported as the non-determinism they are (Datadog's LLM
 * Experiments definitions): per record, the mean of scores or the mode of categories across runs;
 * per experiment, the mean of the record means or the mode of the record modes; and the split of
 * the variance between records and between runs of a record.
 *
 * @module
 */
import type { EvaluatorAggregate, EvaluatorInfo, RecordScore, ScoredCell, ScoreKind, ScoreValue, VarianceSplit } from "./types.ts";

const numeric = (v: ScoreValue): number | null => (typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * The most frequent value; a tie goes to the value first in code-unit order, so the result does
 * not depend on the order the runs finished in.
 *
 * @example
 * mode(["b", "a", "b", "a"]) // "a"
 */
export function mode(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]![0];
}

/**
 * The kind of an evaluator's scores from the values it gave: all booleans → boolean, all numbers
 * (booleans allowed) → numeric, any string → categorical.
 *
 * @example
 * scoreKind([true, false]) // "boolean"
 */
export function scoreKind(values: readonly ScoreValue[]): ScoreKind {
  const present = values.filter((v) => v !== null);
  if (present.some((v) => typeof v === "string")) return "categorical";
  return present.length > 0 && present.every((v) => typeof v === "boolean") ? "boolean" : "numeric";
}

/**
 * Each record's aggregate for one variant and evaluator, in record order of first appearance.
 *
 * @example
 * recordScores(cells, "b", { name: "exact", kind: "boolean", higherIsBetter: true }) // [{ record: "r1", runs: 3, value: 0.667 }, …]
 */
export function recordScores(cells: readonly ScoredCell[], variant: string, evaluator: EvaluatorInfo): RecordScore[] {
  const byRecord = new Map<string, ScoreValue[]>();
  for (const cell of cells) {
    if (cell.variant !== variant || cell.error !== undefined) continue;
    const value = cell.scores[evaluator.name]?.value;
    if (value === undefined || value === null) continue;
    byRecord.set(cell.record, [...(byRecord.get(cell.record) ?? []), value]);
  }
  return [...byRecord].map(([record, values]) => {
    if (evaluator.kind === "categorical") return { record, runs: values.length, value: mode(values.map(String)) };
    const xs = values.map(numeric).filter((x): x is number => x !== null);
    return { record, runs: xs.length, value: xs.reduce((s, x) => s + x, 0) / xs.length };
  }).filter((r) => r.runs > 0);
}

const sampleVariance = (xs: readonly number[], mean: number) => xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);

/**
 * The variance split of one variant's numeric scores (see {@link VarianceSplit}); `runs` of a
 * record are its cells' values, the per-run count used for the ANOVA estimator is their mean.
 *
 * @example
 * varianceSplit([[1, 0], [1, 1]]) // { withinRecords: 0.25, ofRecordMeans: 0.125, betweenRecords: 0, shareBetweenRecords: 0 }
 */
export function varianceSplit(valuesByRecord: readonly (readonly number[])[]): VarianceSplit {
  const means = valuesByRecord.map((xs) => xs.reduce((s, x) => s + x, 0) / xs.length);
  const grand = means.reduce((s, m) => s + m, 0) / means.length;
  const ofRecordMeans = means.length > 1 ? sampleVariance(means, grand) : 0;
  let squares = 0;
  let df = 0;
  valuesByRecord.forEach((xs, i) => {
    squares += xs.reduce((s, x) => s + (x - means[i]!) ** 2, 0);
    df += xs.length - 1;
  });
  if (df === 0) return { withinRecords: null, ofRecordMeans, betweenRecords: null, shareBetweenRecords: null };
  const withinRecords = squares / df;
  const runs = valuesByRecord.reduce((s, xs) => s + xs.length, 0) / valuesByRecord.length;
  const betweenRecords = Math.max(0, ofRecordMeans - withinRecords / runs);
  const total = betweenRecords + withinRecords;
  return { withinRecords, ofRecordMeans, betweenRecords, shareBetweenRecords: total === 0 ? null : betweenRecords / total };
}

/**
 * One variant's result for one evaluator: mean of record means (numeric, boolean) with the
 * variance split, or mode of record modes with the counts (categorical).
 *
 * @example
 * aggregateEvaluator(cells, "b", { name: "f1", kind: "numeric", higherIsBetter: true }).value // 0.73
 */
export function aggregateEvaluator(cells: readonly ScoredCell[], variant: string, evaluator: EvaluatorInfo): EvaluatorAggregate {
  const records = recordScores(cells, variant, evaluator);
  const base = { evaluator: evaluator.name, kind: evaluator.kind, records: records.length };
  if (records.length === 0) return { ...base, value: null };
  if (evaluator.kind === "categorical") {
    const counts: Record<string, number> = {};
    for (const r of records) counts[r.value as string] = (counts[r.value as string] ?? 0) + 1;
    return { ...base, value: mode(records.map((r) => r.value as string)), counts };
  }
  const byRecord = new Map<string, number[]>();
  for (const cell of cells) {
    const x = cell.variant === variant && cell.error === undefined ? numeric(cell.scores[evaluator.name]?.value ?? null) : null;
    if (x !== null) byRecord.set(cell.record, [...(byRecord.get(cell.record) ?? []), x]);
  }
  const value = records.reduce((s, r) => s + (r.value as number), 0) / records.length;
  return { ...base, value, spread: varianceSplit([...byRecord.values()]) };
}
