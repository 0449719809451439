/**
 * Each variant against the control, paired by record: the per-record aggregates (mean across runs)
 * of the two arms are differenced, and the tests read those differences. Pass/fail evaluators get
 * McNemar on each record's majority verdict; scores get Wilcoxon and the sign test; both get the
 * paired t, a seeded paired bootstrap interval, win/tie/loss, the design numbers, and a breakdown
 * by a metadata field. Holm adjusts the primary p-values across a variant's evaluators.
 *
 * @module
 */
import { holm } from "../stats/holm.ts";
import { mcnemar, pairedT, signTest, wilcoxonSignedRank, type PairedT, type PairedTest } from "../stats/paired.ts";
import { minimumDetectableEffect, pairedBootstrap, recordsNeeded } from "../stats/paired-power.ts";
import type { Interval } from "../stats/types.ts";
import { recordScores } from "./aggregate.ts";
import type { EvaluatorInfo, ScoredCell } from "./types.ts";

/** Options of {@link compareVariants}. */
export interface PairedOptions {
  /** Default 0.05 (two-sided; intervals are 1 − alpha). */
  alpha?: number;
  /** Bootstrap resamples (default 10,000) and seed (default 1). */
  resamples?: number;
  seed?: number;
  /** A metadata field whose values split the records. */
  breakdown?: string;
  /** record id → metadata, for the breakdown. */
  metadata?: ReadonlyMap<string, Record<string, unknown>>;
  /** Per evaluator, the difference one wants to detect (in the score's units), for recordsNeeded. */
  wantedEffects?: Readonly<Record<string, number>>;
}

/** One evaluator's paired comparison of one variant with the control. */
export interface EvaluatorComparison {
  evaluator: string;
  kind: "numeric" | "boolean";
  higherIsBetter: boolean;
  /** Records scored in both arms. */
  pairs: number;
  control: number;
  variant: number;
  /** variant − control, the paired t's interval. */
  difference: Interval;
  bootstrap: Interval;
  t: PairedT;
  /** McNemar (boolean) or Wilcoxon (numeric): the test Holm adjusts. */
  primary: PairedTest & { test: "mcnemar" | "wilcoxon" };
  sign: PairedTest;
  /** Wilcoxon also for pass rates (record means across runs), McNemar only for boolean. */
  wilcoxon: PairedTest;
  holmPValue: number;
  /** Counted in the better direction: a win is a record where the variant did better. */
  wins: number;
  ties: number;
  losses: number;
  minimumDetectableEffect: number;
  /** Records needed to detect the wanted effect (or, without one, the observed difference). */
  recordsNeeded: number;
  breakdown?: { field: string; groups: { value: string; pairs: number; difference: Interval }[] };
}

/** All evaluators' comparisons of one variant with the control. */
export interface VariantComparison {
  variant: string;
  control: string;
  evaluators: EvaluatorComparison[];
}

/** The per-record differences (variant − control) of records scored in both arms. */
export function pairedDifferences(cells: readonly ScoredCell[], control: string, variant: string, evaluator: EvaluatorInfo): { record: string; control: number; variant: number }[] {
  const base = new Map(recordScores(cells, control, evaluator).map((r) => [r.record, r.value as number]));
  return recordScores(cells, variant, evaluator).filter((r) => base.has(r.record)).map((r) => ({ record: r.record, control: base.get(r.record)!, variant: r.value as number }));
}

function breakdown(pairs: { record: string; d: number }[], field: string, metadata: ReadonlyMap<string, Record<string, unknown>>, confidence: number) {
  const groups = new Map<string, number[]>();
  for (const p of pairs) {
    const raw = metadata.get(p.record)?.[field];
    const key = raw === undefined || raw === null ? "(none)" : typeof raw === "string" ? raw : JSON.stringify(raw);
    groups.set(key, [...(groups.get(key) ?? []), p.d]);
  }
  return { field, groups: [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([value, ds]) => ({ value, pairs: ds.length, difference: pairedT(ds, confidence).interval })) };
}

function compareOne(cells: readonly ScoredCell[], control: string, variant: string, evaluator: EvaluatorInfo, options: PairedOptions): Omit<EvaluatorComparison, "holmPValue"> {
  const alpha = options.alpha ?? 0.05;
  const rows = pairedDifferences(cells, control, variant, evaluator);
  const d = rows.map((r) => r.variant - r.control);
  const sign = evaluator.higherIsBetter ? 1 : -1;
  const t = pairedT(d, 1 - alpha);
  const wilcoxon = wilcoxonSignedRank(d);
  const boolean = evaluator.kind === "boolean";
  const b = rows.filter((r) => r.control >= 0.5 && r.variant < 0.5).length;
  const c = rows.filter((r) => r.control < 0.5 && r.variant >= 0.5).length;
  const primary = boolean ? { ...mcnemar(b, c), test: "mcnemar" as const } : { ...wilcoxon, test: "wilcoxon" as const };
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  const wanted = options.wantedEffects?.[evaluator.name] ?? t.mean;
  return {
    evaluator: evaluator.name,
    kind: boolean ? "boolean" : "numeric",
    higherIsBetter: evaluator.higherIsBetter,
    pairs: rows.length,
    control: mean(rows.map((r) => r.control)),
    variant: mean(rows.map((r) => r.variant)),
    difference: t.interval,
    bootstrap: pairedBootstrap(d, { confidence: 1 - alpha, resamples: options.resamples, seed: options.seed }),
    t,
    primary,
    sign: signTest(d),
    wilcoxon,
    wins: d.filter((x) => x * sign > 0).length,
    ties: d.filter((x) => x === 0).length,
    losses: d.filter((x) => x * sign < 0).length,
    minimumDetectableEffect: minimumDetectableEffect(rows.length, t.sd, { alpha }),
    recordsNeeded: recordsNeeded(wanted, t.sd, { alpha }),
    ...(options.breakdown && options.metadata ? { breakdown: breakdown(rows.map((r, i) => ({ record: r.record, d: d[i]! })), options.breakdown, options.metadata, 1 - alpha) } : {}),
  };
}

/**
 * Every variant but the control against the control, for every numeric and boolean evaluator.
 *
 * @example
 * const [vs] = compareVariants(cells, "control", ["control", "b"], evaluators, { breakdown: "topic", metadata });
 * vs.evaluators[0].difference // { estimate: 0.1, lower: 0.02, upper: 0.18 }
 */
export function compareVariants(cells: readonly ScoredCell[], control: string, variants: readonly string[], evaluators: readonly EvaluatorInfo[], options: PairedOptions = {}): VariantComparison[] {
  const compared = evaluators.filter((e) => e.kind !== "categorical");
  return variants.filter((v) => v !== control).map((variant) => {
    // An evaluator with no record scored in both arms (cost without prices) has nothing to compare.
    const raw = compared.map((e) => compareOne(cells, control, variant, e, options)).filter((r) => r.pairs > 0);
    const adjusted = holm(raw.map((r) => r.primary.pValue));
    return { variant, control, evaluators: raw.map((r, i) => ({ ...r, holmPValue: adjusted[i]! })) };
  });
}
