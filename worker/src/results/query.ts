/**
 * The results queries run on D1: the SQL (over the results tables that migration 0009's triggers
 * keep as events are stored) and the reduction of its rows come from `@edgeflag/analysis` (which
 * says what they compute); this file only runs them, as one batch.
 *
 * @module
 */
import { aggregateRows, ANALYSED_CONFIGS_SQL, EXPOSED_ALLOCATIONS_SQL, RESULTS_SQL, type Row, type VariantAggregates } from "@edgeflag/analysis";

/**
 * Every variant's aggregates for one flag's allocation, in four queries run as one D1 batch.
 *
 * @example
 * const variants = await aggregateVariants(env.DB, "production", "chat-model", "experiment");
 */
export async function aggregateVariants(db: D1Database, env: string, flag: string, allocation: string): Promise<VariantAggregates[]> {
  const bind = (sql: string) => db.prepare(sql).bind(env, flag, allocation);
  const [variants, custom, quantiles, dailyCost] = await db.batch<Row>([bind(RESULTS_SQL.variants), bind(RESULTS_SQL.custom), bind(RESULTS_SQL.quantiles), bind(RESULTS_SQL.dailyCost)]);
  return aggregateRows({ variants: variants!.results, custom: custom!.results, quantiles: quantiles!.results, dailyCost: dailyCost!.results });
}

/**
 * The allocations of a flag that have exposures, with how many subjects each.
 *
 * @example
 * const allocations = await exposedAllocations(env.DB, "production", "chat-model");
 */
export async function exposedAllocations(db: D1Database, env: string, flag: string): Promise<{ allocation: string; subjects: number }[]> {
  const { results } = await db.prepare(EXPOSED_ALLOCATIONS_SQL).bind(env, flag).all<{ allocation: string; subjects: number }>();
  return results;
}

/** One config version and signing key that exposures of the analysed allocation were made on. */
export interface AnalysedConfig { version: number; kid: string | null; exposures: number }

/**
 * The config versions and kids the exposures of one allocation name (a result says what it analysed).
 *
 * @example
 * await analysedConfigs(env.DB, "production", "chat-model", "experiment") // [{ version: 3, kid: "s9-c…", exposures: 120 }]
 */
export async function analysedConfigs(db: D1Database, env: string, flag: string, allocation: string | null): Promise<AnalysedConfig[]> {
  if (allocation === null) return [];
  const { results } = await db.prepare(ANALYSED_CONFIGS_SQL).bind(env, flag, allocation).all<AnalysedConfig>();
  return results;
}
