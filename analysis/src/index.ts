/**
 * `@edgeflag/analysis`: everything between stored events and an experiment's verdict, with no
 * I/O, for the Worker's results route, the CLI, the cron and an offline runner alike.
 *
 * - the events table derived from the schema's list of event types (columns, indexes, predicates);
 * - the results tables (per-subject aggregates and per-variant histograms, kept by triggers as
 *   events are stored), the results SQL that reads them, and the reduction of its rows;
 * - the metrics and the analysis (SRM, comparisons, Holm, sequential looks);
 * - the statistics underneath (tests, distributions, quantiles), checked against scipy and numpy.
 *
 * Web APIs only: no `node:` import, no Node global.
 *
 * @example
 * import { RESULTS_SQL, aggregateRows, analyze } from "@edgeflag/analysis";
 * const rows = await runEach(RESULTS_SQL, [env, flag, allocation]); // the caller's SQLite
 * const analysis = analyze({ control: "small", weights: { small: 1, large: 1 }, experiment: {}, variants: aggregateRows(rows) });
 *
 * @module
 */
export { EVENT_COLUMNS, INDEX_OF, INDEX_COLUMNS, DATA_FIELDS, columnSql, typesOf, typePredicate, indexDdl, tableDdl, type EventColumn, type EventIndex } from "./event-table.ts";
export { RESULTS_SQL, EXPOSED_ALLOCATIONS_SQL, ANALYSED_CONFIGS_SQL, guardrailSql, type CallColumn } from "./results-sql.ts";
export { resultTablesDdl, backfillSql, SUBJECT_SUMS } from "./result-tables.ts";
export { bucketSql, bucketValue, histogramQuantile, histogramAbove, GAMMA, RELATIVE_ERROR, type Bucket } from "./histogram.ts";
export { aggregateRows, type ResultRows, type Row } from "./aggregate-rows.ts";
export { RATIOS, LATENCY_QUANTILES, QUANTILE_MEASURES, emptyAggregates, type Quantiles, type RatioSums, type VariantAggregates } from "./aggregates.ts";
export { BUILT_IN_METRICS, customMetrics, metricValue, type MetricDef } from "./metrics.ts";
export { analyze, applyLooks, lookKey, SRM_THRESHOLD, DEFAULT_MIN_SUBJECTS, type Analysis, type AnalysisInput, type Look, type MetricComparison } from "./analyze.ts";
export * from "./stats/index.ts";
export { testGuardrails, oneSidedSprt, quantileLimit, P95_TAIL, DEFAULT_MIN_SAMPLES, type Guardrail, type GuardrailAction, type GuardrailData, type GuardrailResult } from "./guardrails.ts";
export { decideRamp, DEFAULT_STAGE_SUBJECTS, type Ramp, type RampStage, type RampState, type RampLook, type RampDecision } from "./ramp.ts";
export { guardrailData } from "./guardrail-data.ts";
export * from "./offline/index.ts";
