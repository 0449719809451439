/**
 * The results queries: D1 reduces the events of one flag to sufficient statistics per variant,
 * computed **per subject first, then per variant** — a subject with fifty calls is one subject
 * with a mean of fifty calls, never fifty subjects. A subject belongs to the variant of their
 * first exposure (intention to treat); their feedback, executions and outcomes for the flag
 * count there, and so do their custom events tagged with the flag or, untagged, sent after that
 * first exposure.
 *
 * @module
 */

import type { RatioSums, VariantAggregates } from "./aggregates.ts";

export type { RatioSums, VariantAggregates };

/** The metrics kept as ratios: [name, numerator column, denominator column] of the per-subject table. */
const RATIOS = [
  ["thumbsUp", "ups", "thumbs"],
  ["success", "successes", "outcomes"],
  ["errors", "errs", "calls"],
  ["latency", "lat", "lat_n"],
  ["ttft", "ttft", "ttft_n"],
  ["inputTokens", "in_tok", "in_n"],
  ["outputTokens", "out_tok", "out_n"],
  ["cost", "cost", "cost_n"],
] as const;

/** Subject → variant of their first exposure (SQLite takes the bare column from the MIN row). */
const EXPOSED = `exposed AS (
  SELECT subject, variant, MIN(ts) AS first_ts FROM events
  WHERE env = ?1 AND flag = ?2 AND type = 'exposure' AND allocation = ?3
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
    TOTAL(e.cost) AS cost, COUNT(e.cost) AS cost_n
  FROM exposed x
  LEFT JOIN events e ON e.env = ?1 AND e.subject = x.subject AND e.type IN ('feedback', 'execution', 'outcome') AND e.flag = ?2
    AND e.ts >= x.first_ts
  GROUP BY x.subject
)`;

const ratioColumns = RATIOS.map(([name, x, y]) =>
  `SUM(${y} > 0) AS ${name}_n, TOTAL(${x}) AS ${name}_x, TOTAL(${y}) AS ${name}_y, TOTAL(${x} * ${x}) AS ${name}_xx, TOTAL(${y} * ${y}) AS ${name}_yy, TOTAL(${x} * ${y}) AS ${name}_xy`,
).join(",\n    ");

const VARIANTS_SQL = `WITH ${PER_SUBJECT}
SELECT variant, COUNT(*) AS subjects, SUM(feedbacks > 0) AS feedback_subjects,
    ${ratioColumns},
    TOTAL(cost * cost) AS cost_ss, MIN(first_ts) AS first_exposure, MAX(first_ts) AS last_exposure
FROM per GROUP BY variant ORDER BY variant`;

const CUSTOM_SQL = `WITH ${EXPOSED},
per AS (
  SELECT x.variant, x.subject, e.name, COUNT(*) AS events, TOTAL(e.value) AS total
  FROM exposed x
  JOIN events e ON e.env = ?1 AND e.subject = x.subject AND e.type = 'custom'
    AND (e.flag = ?2 OR e.flag IS NULL) AND e.ts >= x.first_ts
  GROUP BY x.subject, e.name
)
SELECT variant, name, COUNT(*) AS subjects, SUM(events) AS events, TOTAL(total) AS sum, TOTAL(total * total) AS sum_squares
FROM per GROUP BY variant, name ORDER BY variant, name`;

/**
 * Latency quantiles over calls (numpy's linear rule): the two order statistics around each.
 * (The redundant `type IN (…)` lets SQLite use the partial index events_metrics.)
 */
const QUANTILES_SQL = `WITH ${EXPOSED},
calls AS (
  SELECT x.variant, e.latency_ms AS v FROM exposed x
  JOIN events e ON e.env = ?1 AND e.subject = x.subject AND e.type = 'execution' AND e.type IN ('feedback', 'execution', 'outcome') AND e.flag = ?2 AND e.ts >= x.first_ts
  WHERE e.latency_ms IS NOT NULL
),
ranked AS (
  SELECT variant, v, ROW_NUMBER() OVER (PARTITION BY variant ORDER BY v) - 1 AS i, COUNT(*) OVER (PARTITION BY variant) AS cnt FROM calls
)
SELECT variant, i, cnt, v FROM ranked
WHERE i IN (CAST((cnt - 1) * 0.5 AS INTEGER), CAST((cnt - 1) * 0.5 AS INTEGER) + 1, CAST((cnt - 1) * 0.95 AS INTEGER), CAST((cnt - 1) * 0.95 AS INTEGER) + 1)`;

/** Cost per UTC day: the total per day, averaged over the days from the first exposure to the last call. */
const DAILY_COST_SQL = `WITH ${EXPOSED}
SELECT x.variant, CAST(e.ts / 86400000 AS INTEGER) AS day, SUM(e.cost) AS cost FROM exposed x
JOIN events e ON e.env = ?1 AND e.subject = x.subject AND e.type = 'execution' AND e.type IN ('feedback', 'execution', 'outcome') AND e.flag = ?2 AND e.ts >= x.first_ts
WHERE e.cost IS NOT NULL GROUP BY x.variant, day`;

type Row = Record<string, number | string | null>;
const num = (v: unknown): number => (typeof v === "number" ? v : 0);

function ratio(row: Row, name: string): RatioSums {
  return { n: num(row[`${name}_n`]), sumX: num(row[`${name}_x`]), sumY: num(row[`${name}_y`]), sumXX: num(row[`${name}_xx`]), sumYY: num(row[`${name}_yy`]), sumXY: num(row[`${name}_xy`]) };
}

function interpolate(rows: Row[], q: number): number | null {
  const cnt = num(rows[0]?.cnt);
  if (cnt === 0) return null;
  const h = (cnt - 1) * q;
  const lo = Math.floor(h);
  const at = (i: number) => num(rows.find((r) => r.i === i)?.v);
  return lo + 1 < cnt ? at(lo) + (h - lo) * (at(lo + 1) - at(lo)) : at(lo);
}

/**
 * Every variant's aggregates for one flag's allocation, in four queries run as one D1 batch.
 *
 * @example
 * const variants = await aggregateVariants(env.DB, "production", "chat-model", "experiment");
 */
export async function aggregateVariants(db: D1Database, env: string, flag: string, allocation: string): Promise<VariantAggregates[]> {
  const bind = (sql: string) => db.prepare(sql).bind(env, flag, allocation);
  const [variants, custom, quantiles, daily] = await db.batch<Row>([bind(VARIANTS_SQL), bind(CUSTOM_SQL), bind(QUANTILES_SQL), bind(DAILY_COST_SQL)]);
  return variants!.results.map((row) => {
    const variant = String(row.variant);
    const mine = (rows: Row[]) => rows.filter((r) => r.variant === variant);
    const q = mine(quantiles!.results);
    const days = mine(daily!.results);
    const firstDay = Math.floor(num(row.first_exposure) / 86_400_000);
    const lastDay = Math.max(firstDay, ...days.map((d) => num(d.day)));
    const out: VariantAggregates = {
      variant,
      subjects: num(row.subjects),
      feedbackSubjects: num(row.feedback_subjects),
      ...(Object.fromEntries(RATIOS.map(([name]) => [name, ratio(row, name)])) as Pick<VariantAggregates, (typeof RATIOS)[number][0]>),
      costPerSubject: { sum: num(row.cost_x), sumSquares: num(row.cost_ss) },
      latencyQuantiles: { p50: interpolate(q, 0.5), p95: interpolate(q, 0.95) },
      costPerDay: days.length === 0 ? null : days.reduce((s, d) => s + num(d.cost), 0) / (lastDay - firstDay + 1),
      firstExposure: row.first_exposure === null ? null : num(row.first_exposure),
      lastExposure: row.last_exposure === null ? null : num(row.last_exposure),
      custom: {},
    };
    for (const c of mine(custom!.results)) out.custom[String(c.name)] = { subjects: num(c.subjects), events: num(c.events), sum: num(c.sum), sumSquares: num(c.sum_squares) };
    return out;
  });
}

/**
 * The allocations of a flag that have exposures, with how many subjects each.
 *
 * @example
 * const allocations = await exposedAllocations(env.DB, "production", "chat-model");
 */
export async function exposedAllocations(db: D1Database, env: string, flag: string): Promise<{ allocation: string; subjects: number }[]> {
  const { results } = await db
    .prepare(`SELECT allocation, COUNT(DISTINCT subject) AS subjects FROM events WHERE env = ?1 AND flag = ?2 AND type = 'exposure' GROUP BY allocation ORDER BY subjects DESC`)
    .bind(env, flag)
    .all<{ allocation: string; subjects: number }>();
  return results;
}
