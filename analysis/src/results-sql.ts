/**
 * The results queries, as data: SQLite statements that read one flag's results from the results
 * tables (result-tables.ts), which triggers keep up to date as events are stored, so each costs in
 * subjects and histogram buckets, never in events. The numbers are **per subject first, then per
 * variant** — a subject with fifty calls is one subject with a mean of fifty calls, never fifty
 * subjects. A subject belongs to the variant of their first exposure (intention to treat: a call a
 * fallback answered still counts there, and shadow calls count nowhere); their feedback,
 * executions and outcomes for the flag count there when each is consistent with an assignment
 * (its `assignmentId` is the one of a stored exposure of that subject in this allocation, and the
 * variant it names, if any, is that exposure's) and not sent before the first exposure, and so do
 * their custom events tagged with the flag or, untagged, sent after that first exposure.
 * Exposures are checked against their config version on ingestion, so a feedback, execution or
 * outcome cannot be credited to an arm nobody was assigned. Latency and TTFT quantiles come from
 * per-variant log-histograms: within 1% of the exact order statistics (histogram.ts). Who runs
 * them (D1 in the Worker, another SQLite over an archive) is the caller's business;
 * `aggregateRows` (aggregate-rows.ts) turns their rows into the analysis's input.
 *
 * @module
 */
import { QUANTILE_MEASURES, RATIOS } from "./aggregates.ts";

const SCOPE = "env = ?1 AND flag = ?2 AND allocation = ?3";

const ratioColumns = RATIOS.map(([name, x, y]) =>
  `SUM(${y} > 0) AS ${name}_n, TOTAL(${x}) AS ${name}_x, TOTAL(${y}) AS ${name}_y, TOTAL(${x} * ${x}) AS ${name}_xx, TOTAL(${y} * ${y}) AS ${name}_yy, TOTAL(${x} * ${y}) AS ${name}_xy`,
).join(",\n    ");

/**
 * The statements of one experiment's results; each binds ?1 env, ?2 flag, ?3 allocation. Run all
 * four (one D1 batch) and hand their rows to `aggregateRows`.
 *
 * @example
 * const [variants, custom, quantiles, dailyCost] = await db.batch(Object.values(RESULTS_SQL).map((sql) => db.prepare(sql).bind(env, flag, allocation)));
 */
export const RESULTS_SQL = {
  /** Per variant: subjects, feedback subjects, and the six sums of every ratio metric over the subject rows. */
  variants: `SELECT variant, COUNT(*) AS subjects, SUM(feedbacks > 0) AS feedback_subjects,
    ${ratioColumns},
    TOTAL(cost * cost) AS cost_ss, MIN(first_ts) AS first_exposure, MAX(first_ts) AS last_exposure
FROM subject_results WHERE ${SCOPE} GROUP BY variant ORDER BY variant`,
  /** Per variant and custom event name: subjects who sent it, events, Σ and Σ² of per-subject totals. */
  custom: `SELECT variant, name, COUNT(*) AS subjects, SUM(events) AS events, TOTAL(total) AS sum, TOTAL(total * total) AS sum_squares
FROM subject_custom WHERE ${SCOPE} GROUP BY variant, name ORDER BY variant, name`,
  /** Latency and time to first token over calls (`measure` names which, QUANTILE_MEASURES): each variant's histogram, in bucket order. */
  quantiles: `SELECT variant, measure, bucket, n FROM call_histogram WHERE ${SCOPE} AND n > 0 ORDER BY variant, measure, bucket`,
  /** Cost per variant and UTC day (the day of the call). */
  dailyCost: `SELECT variant, day, cost FROM daily_cost WHERE ${SCOPE} AND calls > 0 ORDER BY variant, day`,
} as const;

/**
 * The allocations of a flag that have exposures, with how many subjects each (binds ?1 env, ?2 flag).
 *
 * @example
 * const { results } = await db.prepare(EXPOSED_ALLOCATIONS_SQL).bind("production", "chat-model").all();
 */
export const EXPOSED_ALLOCATIONS_SQL = "SELECT allocation, COUNT(*) AS subjects FROM subject_results WHERE env = ?1 AND flag = ?2 GROUP BY allocation ORDER BY subjects DESC";

/**
 * The config versions and signing keys the exposures of one allocation were evaluated on, with
 * how many exposures each (binds ?1 env, ?2 flag, ?3 allocation): what a result was computed from.
 * `kid` is null for exposures from clients that did not send it.
 *
 * @example
 * const { results } = await db.prepare(ANALYSED_CONFIGS_SQL).bind("production", "chat-model", "experiment").all();
 */
export const ANALYSED_CONFIGS_SQL = `SELECT version, NULLIF(kid, '') AS kid, exposures FROM exposure_configs WHERE ${SCOPE} ORDER BY version, kid`;

/** The per-call columns a percentile guardrail reads. */
export type CallColumn = "latency_ms" | "ttft_ms";

/**
 * The statement of a percentile guardrail on one per-call column: variant ?4's histogram of it in
 * the allocation (binds ?1 env, ?2 flag, ?3 allocation, ?4 variant), rows `{ bucket, n }` in
 * bucket order, for `histogramQuantile` (the control's p95) and `histogramAbove` (the
 * treatment's calls above the limit).
 *
 * @example
 * const { results } = await db.prepare(guardrailSql("ttft_ms").histogram).bind(env, flag, alloc, "large").all<Bucket>();
 */
export function guardrailSql(column: CallColumn): { histogram: string } {
  const measure = Object.entries(QUANTILE_MEASURES).find(([, c]) => c === column)?.[0];
  if (measure === undefined) throw new RangeError(`no per-call column ${String(column)}`);
  return { histogram: `SELECT bucket, n FROM call_histogram WHERE ${SCOPE} AND variant = ?4 AND measure = '${measure}' AND n > 0 ORDER BY bucket` };
}
