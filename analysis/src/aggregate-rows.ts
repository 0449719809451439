/**
 * From the rows of the results queries (results-sql.ts) to each variant's aggregates: plain
 * objects in, plain objects out, whichever SQLite produced them.
 *
 * @module
 */
import { LATENCY_QUANTILES, QUANTILE_MEASURES, RATIOS, type Quantiles, type RatioSums, type VariantAggregates } from "./aggregates.ts";
import { histogramQuantile } from "./histogram.ts";

const DAY = 86_400_000;

/** One row as SQLite hands it over. */
export type Row = Record<string, number | string | null>;

/** The rows of each statement of RESULTS_SQL, by the same names. */
export interface ResultRows {
  variants: readonly Row[];
  custom: readonly Row[];
  quantiles: readonly Row[];
  dailyCost: readonly Row[];
}

const num = (v: unknown): number => (typeof v === "number" ? v : 0);

function ratio(row: Row, name: string): RatioSums {
  return { n: num(row[`${name}_n`]), sumX: num(row[`${name}_x`]), sumY: num(row[`${name}_y`]), sumXX: num(row[`${name}_xx`]), sumYY: num(row[`${name}_yy`]), sumXY: num(row[`${name}_xy`]) };
}

/** The p50 and p95 of one measure from a variant's histogram rows (bucket order): within 1% of the exact ones. */
function quantilesOf(rows: readonly Row[], measure: keyof typeof QUANTILE_MEASURES): Quantiles {
  const buckets = rows.filter((r) => r.measure === measure).map((r) => ({ bucket: num(r.bucket), n: num(r.n) }));
  const [p50, p95] = LATENCY_QUANTILES.map((q) => histogramQuantile(buckets, q));
  return { p50: p50 ?? null, p95: p95 ?? null };
}

/**
 * Every variant's aggregates from the rows of the four results statements.
 *
 * @example
 * const variants = aggregateRows({ variants: v.results, custom: c.results, quantiles: q.results, dailyCost: d.results });
 */
export function aggregateRows(rows: ResultRows): VariantAggregates[] {
  return rows.variants.map((row) => {
    const variant = String(row.variant);
    const mine = (list: readonly Row[]) => list.filter((r) => r.variant === variant);
    const q = mine(rows.quantiles);
    const days = mine(rows.dailyCost);
    const firstDay = Math.floor(num(row.first_exposure) / DAY);
    const lastDay = Math.max(firstDay, ...days.map((d) => num(d.day)));
    const out: VariantAggregates = {
      variant,
      subjects: num(row.subjects),
      feedbackSubjects: num(row.feedback_subjects),
      ...(Object.fromEntries(RATIOS.map(([name]) => [name, ratio(row, name)])) as Pick<VariantAggregates, (typeof RATIOS)[number][0]>),
      costPerSubject: { sum: num(row.cost_x), sumSquares: num(row.cost_ss) },
      latencyQuantiles: quantilesOf(q, "latency"),
      ttftQuantiles: quantilesOf(q, "ttft"),
      // Cost per UTC day: the total per day, averaged over the days from the first exposure to the last call.
      costPerDay: days.length === 0 ? null : days.reduce((s, d) => s + num(d.cost), 0) / (lastDay - firstDay + 1),
      firstExposure: row.first_exposure === null ? null : num(row.first_exposure),
      lastExposure: row.last_exposure === null ? null : num(row.last_exposure),
      custom: {},
    };
    for (const c of mine(rows.custom)) out.custom[String(c.name)] = { subjects: num(c.subjects), events: num(c.events), sum: num(c.sum), sumSquares: num(c.sum_squares) };
    return out;
  });
}
