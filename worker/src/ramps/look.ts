/**
 * One look at a ramp from D1: the allocation's per-variant aggregates (the results query), the
 * sample-ratio check against its split weights, and each guardrail's data for every treatment
 * against the control, tested together (Holm across all of them).
 *
 * @module
 */
import type { Allocation, Flag, Ramp } from "@edgeflag/config-schema";
import {
  emptyAggregates, guardrailData, guardrailSql, histogramAbove, histogramQuantile, quantileLimit, RESULTS_SQL, sampleRatioMismatch, SRM_THRESHOLD, testGuardrails,
  type Bucket, type CallColumn, type Guardrail, type GuardrailData, type RampLook,
} from "@edgeflag/analysis";
import { aggregateVariants } from "../results/query.ts";

const DAY_MS = 86_400_000;

/** The allocation's control: the experiment's when it is an arm, else the default variant when it is one, else the first split. */
export function rampControl(flag: Flag, alloc: Allocation): string {
  const arms = alloc.splits.map((s) => s.variant);
  const configured = flag.experiment?.control;
  if (configured && arms.includes(configured)) return configured;
  return arms.includes(flag.defaultVariant) ? flag.defaultVariant : arms[0]!;
}

interface Scope { db: D1Database; env: string; flag: string; allocation: string }

/** A percentile guardrail's data: the control's p95 from its histogram, then the treatment's calls above the limit (both within 1%). */
async function quantileData(s: Scope, g: Guardrail, column: CallColumn, control: string, treatment: string): Promise<GuardrailData> {
  const { histogram } = guardrailSql(column);
  const buckets = async (variant: string) => (await s.db.prepare(histogram).bind(s.env, s.flag, s.allocation, variant).all<Bucket>()).results;
  const limit = quantileLimit(g, histogramQuantile(await buckets(control), 0.95));
  if (limit === null) return { kind: "quantile", limit: null, calls: 0, above: 0 };
  return { kind: "quantile", limit, ...histogramAbove(await buckets(treatment), limit) };
}

/** Today's (UTC) cost of each variant, from the results' daily-cost statement. */
async function costToday(s: Scope, now: number): Promise<Map<string, number>> {
  const { results } = await s.db.prepare(RESULTS_SQL.dailyCost).bind(s.env, s.flag, s.allocation).all<{ variant: string; day: number; cost: number }>();
  const today = Math.floor(now / DAY_MS);
  return new Map(results.filter((r) => r.day === today).map((r) => [r.variant, r.cost]));
}

/**
 * Looks at one ramp: every treatment × guardrail tested at once, with the numbers behind each.
 *
 * @example
 * const look = await lookAtRamp(env.DB, "production", "chat-model", flag, alloc, alloc.ramp, Date.now());
 */
export async function lookAtRamp(db: D1Database, env: string, flagKey: string, flag: Flag, alloc: Allocation, ramp: Ramp, now: number): Promise<RampLook & { control: string }> {
  const s: Scope = { db, env, flag: flagKey, allocation: alloc.key };
  const control = rampControl(flag, alloc);
  const aggregates = await aggregateVariants(db, env, flagKey, alloc.key);
  const arms = alloc.splits.map((sp) => aggregates.find((a) => a.variant === sp.variant) ?? emptyAggregates(sp.variant));
  const controlAgg = arms.find((a) => a.variant === control)!;
  const guardrails = ramp.guardrails ?? [];
  const spend = guardrails.some((g) => g.metric === "daily_cost") ? await costToday(s, now) : new Map<string, number>();
  const tested: Guardrail[] = [];
  const data: GuardrailData[] = [];
  for (const treatment of arms.filter((a) => a.variant !== control)) {
    for (const g of guardrails) {
      const column: CallColumn | null = g.metric === "latency_p95" ? "latency_ms" : g.metric === "ttft_p95" ? "ttft_ms" : null;
      const d = g.metric === "daily_cost" ? { kind: "budget" as const, costToday: spend.get(treatment.variant) ?? 0 }
        : column !== null ? await quantileData(s, g, column, control, treatment.variant)
        : guardrailData(g.metric, controlAgg, treatment);
      if (d === null) continue;
      tested.push({ ...g, metric: arms.length > 2 ? `${g.metric}@${treatment.variant}` : g.metric });
      data.push(d);
    }
  }
  const total = alloc.splits.reduce((sum, sp) => sum + sp.weight, 0);
  const subjects = Object.fromEntries(arms.map((a) => [a.variant, a.subjects]));
  const observed = arms.map((a) => a.subjects);
  const srm = observed.reduce((a, b) => a + b, 0) > 0 && total > 0 ? sampleRatioMismatch(observed, alloc.splits.map((sp) => sp.weight)) : null;
  return {
    now,
    control,
    subjects,
    srm: srm === null ? null : { mismatch: srm.pValue < SRM_THRESHOLD, pValue: srm.pValue },
    // Each result beside the guardrail it tested (threshold, relative, direction), for the status views.
    guardrails: testGuardrails(tested, data).map((r, i) => ({ ...tested[i]!, ...r })),
  };
}
