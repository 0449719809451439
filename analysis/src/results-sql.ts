/**
 * The results queries, as data: SQLite statements that reduce one flag's events to sufficient
 * statistics per variant, computed **per subject first, then per variant** — a subject with fifty
 * calls is one subject with a mean of fifty calls, never fifty subjects. A subject belongs to the
 * variant of their first exposure (intention to treat: a call a fallback answered still counts
 * there, and shadow calls count nowhere); their feedback, executions and outcomes
 * for the flag count there when each is consistent with an assignment (its `assignmentId` is the
 * one of a stored exposure of that subject in this allocation, and the variant it names, if any,
 * is that exposure's), and so do their custom events tagged with the flag or, untagged, sent
 * after that first exposure. Exposures are checked against their config version on ingestion,
 * so a feedback, execution or outcome cannot be credited to an arm nobody was assigned. Who runs them (D1 in the Worker, another SQLite over an archive) is
 * the caller's business; `aggregateRows` (aggregate-rows.ts) turns their rows into the
 * analysis's input.
 *
 * @module
 */
import { LATENCY_QUANTILES, QUANTILE_MEASURES, RATIOS } from "./aggregates.ts";
import { typePredicate } from "./event-table.ts";

// The type predicates repeat the partial indexes' WHERE terms, so SQLite reads only those indexes.
const EXPOSURES = typePredicate("exposures");
const METRICS = typePredicate("metrics", "e.");
const CUSTOM = typePredicate("subject", "e.");
const ASSIGNED = typePredicate("exposures", "a.");

/**
 * A metric event `e` of subject `x` belongs to one of the subject's exposures in this allocation:
 * same assignmentId, and the same variant when it names one. One seek in the exposures index
 * (assignment_id follows subject there); D1 plans no automatic indexes, so every join and lookup
 * here goes through a real one.
 */
const CONSISTENT = `EXISTS (SELECT 1 FROM events a
    WHERE a.env = ?1 AND a.flag = ?2 AND ${ASSIGNED} AND a.allocation = ?3 AND a.subject = x.subject
      AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))`;

/**
 * A shadow call (a copy sent to another variant in the background, its answer discarded) counts
 * in no arm: intent-to-treat counts each call once, in the variant the subject was assigned.
 */
const NOT_SHADOW = "e.shadow IS NOT 1";

/** Subject → variant of their first exposure (SQLite takes the bare column from the MIN row). */
const EXPOSED = `exposed AS (
  SELECT subject, variant, MIN(ts) AS first_ts FROM events
  WHERE env = ?1 AND flag = ?2 AND ${EXPOSURES} AND allocation = ?3
  GROUP BY subject
)`;

const PER_SUBJECT = `${EXPOSED},
per AS (
  SELECT x.subject, x.variant, x.first_ts,
    COUNT(e.type) FILTER (WHERE e.type = 'feedback') AS feedbacks,
    COUNT(e.rating) AS thumbs, TOTAL(e.rating) AS ups,
    COUNT(e.success) AS outcomes, TOTAL(e.success) AS successes,
    COUNT(e.type) FILTER (WHERE e.type = 'execution') AS calls, COUNT(e.error) AS errs,
    TOTAL(e.latency_ms) AS lat, COUNT(e.latency_ms) AS lat_n,
    TOTAL(e.ttft_ms) AS ttft, COUNT(e.ttft_ms) AS ttft_n,
    TOTAL(e.input_tokens) AS in_tok, COUNT(e.input_tokens) AS in_n,
    TOTAL(e.output_tokens) AS out_tok, COUNT(e.output_tokens) AS out_n,
    TOTAL(e.cost) AS cost, COUNT(e.cost) AS cost_n,
    TOTAL(e.fallback) AS fallbacks, TOTAL(e.truncated) AS truncations,
    TOTAL(e.cached_input_tokens) AS cached_tok, COUNT(e.cached_input_tokens) AS cached_n,
    TOTAL(e.reasoning_tokens) AS reasoning_tok, COUNT(e.reasoning_tokens) AS reasoning_n
  FROM exposed x
  LEFT JOIN events e ON e.env = ?1 AND e.subject = x.subject AND ${METRICS} AND e.flag = ?2
    AND e.ts >= x.first_ts AND ${NOT_SHADOW} AND ${CONSISTENT}
  GROUP BY x.subject
)`;

const ratioColumns = RATIOS.map(([name, x, y]) =>
  `SUM(${y} > 0) AS ${name}_n, TOTAL(${x}) AS ${name}_x, TOTAL(${y}) AS ${name}_y, TOTAL(${x} * ${x}) AS ${name}_xx, TOTAL(${y} * ${y}) AS ${name}_yy, TOTAL(${x} * ${y}) AS ${name}_xy`,
).join(",\n    ");

/** The ranks of the order statistics around each latency quantile (as quantileRanks computes them). */
const quantileRanks = LATENCY_QUANTILES.flatMap((q) => [`CAST((cnt - 1) * ${q} AS INTEGER)`, `CAST((cnt - 1) * ${q} AS INTEGER) + 1`]).join(", ");

/**
 * The statements of one experiment's results; each binds ?1 env, ?2 flag, ?3 allocation. Run all
 * four (one D1 batch) and hand their rows to `aggregateRows`.
 *
 * @example
 * const [variants, custom, quantiles, dailyCost] = await db.batch(Object.values(RESULTS_SQL).map((sql) => db.prepare(sql).bind(env, flag, allocation)));
 */
export const RESULTS_SQL = {
  /** Per variant: subjects, feedback subjects, and the six sums of every ratio metric. */
  variants: `WITH ${PER_SUBJECT}
SELECT variant, COUNT(*) AS subjects, SUM(feedbacks > 0) AS feedback_subjects,
    ${ratioColumns},
    TOTAL(cost * cost) AS cost_ss, MIN(first_ts) AS first_exposure, MAX(first_ts) AS last_exposure
FROM per GROUP BY variant ORDER BY variant`,
  /** Per variant and custom event name: subjects who sent it, events, Σ and Σ² of per-subject totals. */
  custom: `WITH ${EXPOSED},
per AS (
  SELECT x.variant, x.subject, e.name, COUNT(*) AS events, TOTAL(e.value) AS total
  FROM exposed x
  CROSS JOIN events e ON e.env = ?1 AND e.subject = x.subject AND ${CUSTOM}
    AND (e.flag = ?2 OR e.flag IS NULL) AND e.ts >= x.first_ts
  GROUP BY x.subject, e.name
)
SELECT variant, name, COUNT(*) AS subjects, SUM(events) AS events, TOTAL(total) AS sum, TOTAL(total * total) AS sum_squares
FROM per GROUP BY variant, name ORDER BY variant, name`,
  /**
   * Latency and time to first token over calls (`measure` names which, QUANTILE_MEASURES): only
   * the order statistics each quantile interpolates between (rank i of cnt). The redundant metrics
   * predicate lets SQLite use the partial index events_metrics; the calls are read once.
   */
  quantiles: `WITH ${EXPOSED},
calls AS MATERIALIZED (
  SELECT x.variant, ${Object.values(QUANTILE_MEASURES).map((c) => `e.${c}`).join(", ")} FROM exposed x
  CROSS JOIN events e ON e.env = ?1 AND e.subject = x.subject AND e.type = 'execution' AND ${METRICS} AND e.flag = ?2 AND e.ts >= x.first_ts
    AND ${NOT_SHADOW} AND ${CONSISTENT}
),
measured AS (
  ${Object.entries(QUANTILE_MEASURES).map(([name, c]) => `SELECT variant, '${name}' AS measure, ${c} AS v FROM calls WHERE ${c} IS NOT NULL`).join("\n  UNION ALL ")}
),
ranked AS (
  SELECT variant, measure, v, ROW_NUMBER() OVER (PARTITION BY variant, measure ORDER BY v) - 1 AS i, COUNT(*) OVER (PARTITION BY variant, measure) AS cnt FROM measured
)
SELECT variant, measure, i, cnt, v FROM ranked
WHERE i IN (${quantileRanks})`,
  /** Cost per variant and UTC day (the day of the call). */
  dailyCost: `WITH ${EXPOSED}
SELECT x.variant, CAST(e.ts / 86400000 AS INTEGER) AS day, SUM(e.cost) AS cost FROM exposed x
CROSS JOIN events e ON e.env = ?1 AND e.subject = x.subject AND e.type = 'execution' AND ${METRICS} AND e.flag = ?2 AND e.ts >= x.first_ts
  AND ${NOT_SHADOW} AND ${CONSISTENT}
WHERE e.cost IS NOT NULL GROUP BY x.variant, day`,
} as const;

/**
 * The allocations of a flag that have exposures, with how many subjects each (binds ?1 env, ?2 flag).
 *
 * @example
 * const { results } = await db.prepare(EXPOSED_ALLOCATIONS_SQL).bind("production", "chat-model").all();
 */
export const EXPOSED_ALLOCATIONS_SQL = `SELECT allocation, COUNT(DISTINCT subject) AS subjects FROM events WHERE env = ?1 AND flag = ?2 AND ${EXPOSURES} GROUP BY allocation ORDER BY subjects DESC`;

/**
 * The config versions and signing keys the exposures of one allocation were evaluated on, with
 * how many exposures each (binds ?1 env, ?2 flag, ?3 allocation): what a result was computed from.
 * `kid` is null for exposures from clients that did not send it.
 *
 * @example
 * const { results } = await db.prepare(ANALYSED_CONFIGS_SQL).bind("production", "chat-model", "experiment").all();
 */
export const ANALYSED_CONFIGS_SQL = `SELECT version, kid, COUNT(*) AS exposures FROM events WHERE env = ?1 AND flag = ?2 AND ${EXPOSURES} AND allocation = ?3 GROUP BY version, kid ORDER BY version, kid`;
