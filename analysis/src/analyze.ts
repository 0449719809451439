/**
 * From aggregates to a verdict: per-variant metrics, the sample-ratio check, comparisons with the
 * control (Holm-adjusted across variants × metrics), and the "not enough data" state. Pure: the
 * route supplies the aggregates, the experiment's settings and the previous sequential looks.
 *
 * @module
 */
import type { Experiment } from "@edgeflag/config-schema";
import { compareMeans, compareProportions, compareRatios, holm, monotoneLooks, sampleRatioMismatch, type Comparison, type CompareOptions, type SequentialResult } from "./stats/index.ts";
import { BUILT_IN_METRICS, customMetrics, metricValue, type MetricDef } from "./metrics.ts";
import { RATIOS, type Quantiles, type VariantAggregates } from "./aggregates.ts";

/** SRM p-values below this are flagged: the split is broken and the comparisons cannot be trusted. */
export const SRM_THRESHOLD = 0.001;
/** Default subjects each variant needs before a verdict. */
export const DEFAULT_MIN_SUBJECTS = 100;

/** What the analysis needs besides the aggregates. */
export interface AnalysisInput {
  control: string;
  /** Split weights of the allocation by variant (from the latest config); null when unknown. */
  weights: Record<string, number> | null;
  experiment: Experiment;
  variants: VariantAggregates[];
}

/** An always-valid result carried across looks, with how many looks it has seen. */
export interface Look extends SequentialResult {
  looks: number;
}

/** One comparison of a variant with the control on one metric. */
export interface MetricComparison extends Omit<Comparison, "sequential"> {
  variant: string;
  metric: string;
  higherIsBetter: boolean;
  /** Holm-adjusted across every comparison of this result. */
  pValueAdjusted: number;
  /** Always-valid results, monotone across looks, when the experiment is sequential. */
  sequential: (Look & { pValueAdjusted: number }) | null;
  /** Adjusted p below alpha: the sequential one when the experiment is sequential (peeking is then safe). */
  significant: boolean;
}

/** The analysis, before the route adds where it came from. */
export interface Analysis {
  status: "ok" | "not_enough_data" | "no_data";
  waitingFor: { minSubjectsPerVariant: number; variants: Record<string, number> } | null;
  settings: { alpha: number; sequential: boolean; sequentialTuning: number | null; prior: { mean: number; sd: number } | null; minSubjects: number };
  srm: { chiSquare: number; df: number; pValue: number; mismatch: boolean; expectedShares: Record<string, number>; observed: Record<string, number> } | null;
  metrics: { key: string; label: string; kind: MetricDef["kind"]; higherIsBetter: boolean }[];
  variants: { variant: string; control: boolean; subjects: number; metrics: Record<string, { value: number | null; subjects: number }>; latency: Quantiles; ttft: Quantiles; costPerDay: number | null }[];
  comparisons: MetricComparison[];
}

function srmOf(input: AnalysisInput): Analysis["srm"] {
  if (input.weights === null) return null;
  const names = Object.keys(input.weights);
  const observed = names.map((n) => input.variants.find((v) => v.variant === n)?.subjects ?? 0);
  const total = Object.values(input.weights).reduce((a, b) => a + b, 0);
  const r = sampleRatioMismatch(observed, names.map((n) => input.weights![n]!));
  return {
    ...r,
    mismatch: r.pValue < SRM_THRESHOLD,
    expectedShares: Object.fromEntries(names.map((n) => [n, input.weights![n]! / total])),
    observed: Object.fromEntries(names.map((n, i) => [n, observed[i]!])),
  };
}

function compare(def: MetricDef, control: VariantAggregates, treatment: VariantAggregates, options: CompareOptions): Comparison | null {
  const opts = { ...options, higherIsBetter: def.higherIsBetter };
  switch (def.kind) {
    case "proportion": {
      const c = def.read(control), t = def.read(treatment);
      return c.n >= 2 && t.n >= 2 ? compareProportions(c, t, opts) : null;
    }
    case "ratio": {
      const c = def.read(control), t = def.read(treatment);
      return c.n >= 2 && t.n >= 2 && c.sumY > 0 && t.sumY > 0 ? compareRatios(c, t, opts) : null;
    }
    case "mean": {
      const c = def.read(control), t = def.read(treatment);
      return c.n >= 2 && t.n >= 2 ? compareMeans(c, t, opts) : null;
    }
  }
}

/**
 * The whole analysis of one experiment.
 *
 * @example
 * const analysis = analyze({ control: "a", weights: { a: 1, b: 1 }, experiment: {}, variants });
 */
export function analyze(input: AnalysisInput): Analysis {
  const e = input.experiment;
  const settings = { alpha: e.alpha ?? 0.05, sequential: e.sequential ?? false, sequentialTuning: e.sequential ? (e.sequentialTuning ?? 5000) : null, prior: e.prior ?? null, minSubjects: e.minSubjects ?? DEFAULT_MIN_SUBJECTS };
  const names = [...new Set(input.variants.flatMap((v) => Object.keys(v.custom)))].sort();
  const defs = [...BUILT_IN_METRICS, ...customMetrics(names)];
  // Every variant the split names is shown, exposed or not; then any other variant seen.
  const order = [...new Set([input.control, ...Object.keys(input.weights ?? {}), ...input.variants.map((v) => v.variant)])];
  const empty = (variant: string): VariantAggregates => {
    const zero = { n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
    const ratios = Object.fromEntries(RATIOS.map(([name]) => [name, zero])) as Pick<VariantAggregates, (typeof RATIOS)[number][0]>;
    return { variant, subjects: 0, feedbackSubjects: 0, ...ratios, costPerSubject: { sum: 0, sumSquares: 0 }, latencyQuantiles: { p50: null, p95: null }, ttftQuantiles: { p50: null, p95: null }, costPerDay: null, firstExposure: null, lastExposure: null, custom: {} };
  };
  const all = order.map((name) => input.variants.find((v) => v.variant === name) ?? empty(name));
  const analysis: Analysis = {
    status: "ok",
    waitingFor: null,
    settings,
    srm: srmOf(input),
    metrics: defs.map(({ key, label, kind, higherIsBetter }) => ({ key, label, kind, higherIsBetter })),
    variants: all.map((v) => ({
      variant: v.variant,
      control: v.variant === input.control,
      subjects: v.subjects,
      metrics: Object.fromEntries(defs.map((d) => [d.key, metricValue(d, v)])),
      latency: v.latencyQuantiles,
      ttft: v.ttftQuantiles,
      costPerDay: v.costPerDay,
    })),
    comparisons: [],
  };
  if (all.every((v) => v.subjects === 0)) return { ...analysis, status: "no_data" };
  const arms = all.filter((v) => input.weights === null || v.variant in input.weights);
  if (arms.some((v) => v.subjects < settings.minSubjects)) {
    return { ...analysis, status: "not_enough_data", waitingFor: { minSubjectsPerVariant: settings.minSubjects, variants: Object.fromEntries(arms.map((v) => [v.variant, v.subjects])) } };
  }
  const control = all[0]!;
  const options: CompareOptions = { alpha: settings.alpha, sequential: settings.sequential, sequentialTuning: settings.sequentialTuning ?? undefined, prior: settings.prior };
  const raw: (Comparison & { variant: string; metric: string; higherIsBetter: boolean })[] = [];
  for (const treatment of arms.filter((v) => v !== control)) {
    for (const def of defs) {
      const c = compare(def, control, treatment, options);
      // Both arms constant and equal (no errors anywhere, every outcome a success): nothing to
      // test, and counting it would only loosen Holm for the comparisons that matter.
      if (c !== null && !(c.warnings.includes("zero-variance") && c.absolute.estimate === 0)) raw.push({ ...c, variant: treatment.variant, metric: def.key, higherIsBetter: def.higherIsBetter });
    }
  }
  const adjusted = holm(raw.map((c) => c.pValue));
  analysis.comparisons = raw.map((c, i) => ({
    ...c,
    pValueAdjusted: adjusted[i]!,
    sequential: c.sequential === null ? null : { ...c.sequential, looks: 1, pValueAdjusted: c.sequential.pValue },
    significant: adjusted[i]! < settings.alpha,
  }));
  return analysis;
}

/** The key of a comparison's sequential state. */
export const lookKey = (c: { variant: string; metric: string }): string => JSON.stringify([c.variant, c.metric]);

/**
 * Folds this look into the previous ones (running minimum p, intersected intervals: an
 * always-valid p-value never rises because someone looked again), re-applies Holm to the carried
 * p-values, and decides significance on them. Returns the looks to store.
 *
 * @example
 * const { analysis: final, looks } = applyLooks(analysis, await readLooks(db, …));
 */
export function applyLooks(analysis: Analysis, previous: ReadonlyMap<string, Look>): { analysis: Analysis; looks: Map<string, Look> } {
  const looks = new Map<string, Look>();
  const carried = analysis.comparisons.map((c) => {
    if (c.sequential === null) return c;
    const before = previous.get(lookKey(c)) ?? null;
    const merged = monotoneLooks(before, c.sequential);
    const look: Look = { ...merged, looks: (before?.looks ?? 0) + 1 };
    looks.set(lookKey(c), look);
    return { ...c, sequential: { ...look, pValueAdjusted: look.pValue } };
  });
  const sequential = carried.filter((c) => c.sequential !== null);
  const adjusted = holm(sequential.map((c) => c.sequential!.pValue));
  sequential.forEach((c, i) => {
    c.sequential!.pValueAdjusted = adjusted[i]!;
    c.significant = adjusted[i]! < analysis.settings.alpha;
  });
  return { analysis: { ...analysis, comparisons: carried }, looks };
}
