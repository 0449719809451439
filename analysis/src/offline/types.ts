/**
 * The data of an offline experiment as the statistics see it: scored cells (one variant, one
 * record, one run) and what each evaluator's scores are.
 *
 * @module
 */

/** What one evaluator said about one output: a number, a pass/fail, a category, or nothing. */
export type ScoreValue = number | boolean | string | null;

/** One evaluator's verdict on one cell; `reasoning` is the judge's or the module's explanation. */
export interface Score {
  value: ScoreValue;
  reasoning?: string;
}

/** One scored cell. A cell whose task failed has `error` and no scores. */
export interface ScoredCell {
  variant: string;
  record: string;
  run: number;
  scores: Record<string, Score>;
  error?: string;
}

/** numeric: means; boolean: pass rates (means of 0/1) and McNemar; categorical: modes. */
export type ScoreKind = "numeric" | "boolean" | "categorical";

/** An evaluator's name, the kind of its scores, and which way is better. */
export interface EvaluatorInfo {
  name: string;
  kind: ScoreKind;
  higherIsBetter: boolean;
}

/** One record's aggregate across runs: the mean of its scores, or the mode of its categories. */
export interface RecordScore {
  record: string;
  /** Runs that gave this evaluator a value. */
  runs: number;
  value: number | string;
}

/**
 * How the variance of a numeric score splits: between records (the dataset's spread) and between
 * runs of the same record (the model's non-determinism).
 */
export interface VarianceSplit {
  /** Pooled within-record variance across runs (ddof 1 per record); null with one run. */
  withinRecords: number | null;
  /** Sample variance of the record means. */
  ofRecordMeans: number;
  /** Between-record component: ofRecordMeans − withinRecords / runs, floored at 0 (one-way ANOVA). */
  betweenRecords: number | null;
  /** betweenRecords / (betweenRecords + withinRecords): the intraclass correlation. */
  shareBetweenRecords: number | null;
}

/** One evaluator's result for one variant: the mean of record means, or the mode of record modes. */
export interface EvaluatorAggregate {
  evaluator: string;
  kind: ScoreKind;
  records: number;
  value: number | string | null;
  /** Categorical: how many records have each mode. */
  counts?: Record<string, number>;
  spread?: VarianceSplit;
}
