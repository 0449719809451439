/**
 * Guardrails: one-sided, always-valid tests toward harm, read every minute while a ramp runs.
 *
 * Each guardrail tolerates a margin of harm m (absolute, or relative to the control's value) and
 * asks whether the data already show more: H0 θ ≤ m against θ > m, where θ is the treatment's
 * difference from the control in the harmful direction. The test is the mSPRT of the results
 * with its mixture restricted to the harmful side (a half-normal mixture), so its p-value stays
 * valid however many minutes it is looked at, and a guardrail never fires on noise in the good
 * direction. Which estimate each kind tests:
 *
 * - rates per call (errors, fallbacks, truncations, 👎 share) and means per call (latency, TTFT,
 *   cost): the absolute difference of the two ratios with its delta-method variance (calls of one
 *   subject are correlated). A relative threshold becomes the margin m = threshold × control's
 *   value: the relative lift of a rate near 0 has no usable variance, its difference does;
 * - custom events: the difference of per-subject means (rate: share of subjects; value: mean);
 * - p95 (latency, TTFT): an exceedance test. With the limit L = control's p95 plus the margin,
 *   a treatment whose p95 is within L has at most 5% of its calls above L; the guardrail tests the
 *   share of treatment calls above L against 5% (a binomial share, so no distribution is assumed);
 * - daily cost: a budget, no statistics: the variant's cost today against the threshold in USD.
 *
 * Holm's adjustment runs across the guardrails tested at one look, so a ramp with many guardrails
 * does not roll back more often by chance than one with a single guardrail.
 *
 * @module
 */
import type { Guardrail } from "@edgeflag/config-schema";
import { holm, mixtureSprt, mixtureVariance, normalCdf, type MeanSummary, type ProportionSummary, type RatioSummary } from "./stats/index.ts";

/** What a breach does: roll the allocation back to 0, hold the ramp where it is, or only warn. */
export type GuardrailAction = Guardrail["action"];
export type { Guardrail };

/** The data one guardrail is tested on, read from the results by the watcher. */
export type GuardrailData =
  | { kind: "ratio"; control: RatioSummary; treatment: RatioSummary }
  | { kind: "mean"; control: MeanSummary; treatment: MeanSummary }
  | { kind: "proportion"; control: ProportionSummary; treatment: ProportionSummary }
  | { kind: "quantile"; limit: number | null; calls: number; above: number }
  | { kind: "budget"; costToday: number };

/** One guardrail's verdict at one look, with the numbers that decided it. */
export interface GuardrailResult {
  metric: string;
  action: GuardrailAction;
  status: "ok" | "breach" | "insufficient";
  /** Harm estimate θ̂ (treatment − control toward harm; the exceedance share minus 5%; today's cost). */
  estimate: number | null;
  /** The margin m tested against (for a budget, the budget). */
  margin: number | null;
  /** The always-valid (mSPRT, two-sided at alpha) interval of the harm estimate; null for a budget or without data. */
  interval: { lower: number; upper: number } | null;
  /** One-sided always-valid p-value of H0 θ ≤ m, and Holm-adjusted across the look's guardrails. */
  pValue: number | null;
  pValueAdjusted: number | null;
  samples: number;
  /** Why: "insufficient: 40 of 100 subjects in gpt-4", "breach: error rate +0.061 > +0.02 (p 0.003)". */
  reason: string;
}

/** Calls above a percentile's limit a healthy variant may have: the 5% above its p95. */
export const P95_TAIL = 0.05;
export const DEFAULT_MIN_SAMPLES = 100;

/**
 * The one-sided mSPRT p-value of H0 θ ≤ 0 for θ̂ ~ N(θ, V), mixing over θ > 0 with a half-normal
 * of scale τ²: Λ = 2 √(V/(V+τ²)) exp(θ̂²τ²/(2V(V+τ²))) Φ(θ̂τ/√(V(V+τ²))), p = min(1, 1/Λ).
 * Under θ ≤ 0 Λ is a supermartingale, so p stays valid at any look (Ville's inequality).
 *
 * @example
 * oneSidedSprt(0.05, 0.0001, 0.0002) // 0.000208…: harm well beyond its noise
 */
export function oneSidedSprt(estimate: number, variance: number, tau2: number): number {
  if (!(variance < Infinity) || !(tau2 > 0)) return variance === 0 ? (estimate > 0 ? 0 : 1) : 1;
  if (variance === 0) return estimate > 0 ? 0 : 1;
  const total = variance + tau2;
  const logLambda = Math.log(2) + 0.5 * Math.log(variance / total) + (estimate * estimate * tau2) / (2 * variance * total);
  const phi = normalCdf((estimate * Math.sqrt(tau2)) / Math.sqrt(variance * total));
  if (phi === 0) return 1;
  return Math.min(1, Math.exp(-(logLambda + Math.log(phi))));
}

/** A ratio's value and its delta-method variance; null without two subjects and calls. */
function ratioArm(s: RatioSummary): { value: number; variance: number } | null {
  if (s.n < 2 || s.sumY <= 0) return null;
  const r = s.sumX / s.sumY;
  const meanY = s.sumY / s.n;
  const varX = (s.sumXX - (s.sumX * s.sumX) / s.n) / (s.n - 1);
  const varY = (s.sumYY - (s.sumY * s.sumY) / s.n) / (s.n - 1);
  const cov = (s.sumXY - (s.sumX * s.sumY) / s.n) / (s.n - 1);
  return { value: r, variance: Math.max(0, (varX - 2 * r * cov + r * r * varY) / (s.n * meanY * meanY)) };
}

function meanArm(s: MeanSummary): { value: number; variance: number } | null {
  if (s.n < 2) return null;
  const mean = s.sum / s.n;
  return { value: mean, variance: Math.max(0, (s.sumSquares - s.sum * mean) / (s.n - 1)) / s.n };
}

function proportionArm(s: ProportionSummary): { value: number; variance: number } | null {
  if (s.n < 2) return null;
  const p = s.successes / s.n;
  return { value: p, variance: (p * (1 - p)) / s.n };
}

/** The quantity tested, toward harm: θ̂, its variance, the margin, and the samples it rests on. */
interface Harm { estimate: number; variance: number; margin: number; samples: number }

function harmOf(g: Guardrail, data: Exclude<GuardrailData, { kind: "budget" }>): Harm | string {
  const sign = g.direction === "decrease" ? -1 : 1;
  const min = g.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (data.kind === "quantile") {
    if (data.limit === null) return "insufficient: the control has no calls to take its p95 from";
    if (data.calls < min) return `insufficient: ${data.calls} of ${min} treatment calls`;
    const share = data.above / data.calls;
    return { estimate: share - P95_TAIL, variance: (P95_TAIL * (1 - P95_TAIL)) / data.calls, margin: 0, samples: data.calls };
  }
  const arms = data.kind === "ratio" ? [ratioArm(data.control), ratioArm(data.treatment)] : data.kind === "mean" ? [meanArm(data.control), meanArm(data.treatment)] : [proportionArm(data.control), proportionArm(data.treatment)];
  const samples = Math.min(data.control.n, data.treatment.n);
  if (samples < min) return `insufficient: ${samples} of ${min} subjects in the smaller arm`;
  const [c, t] = arms;
  if (!c || !t) return "insufficient: an arm has no calls yet";
  const margin = g.relative ? g.threshold * Math.abs(c.value) : g.threshold;
  return { estimate: sign * (t.value - c.value), variance: c.variance + t.variance, margin, samples };
}

/** The limit a p95 guardrail counts treatment calls above: control's p95 plus the margin (toward harm). */
export function quantileLimit(g: Guardrail, controlP95: number | null): number | null {
  if (controlP95 === null) return null;
  const margin = g.relative ? g.threshold * Math.abs(controlP95) : g.threshold;
  return controlP95 + margin;
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2));

/**
 * Tests a ramp's guardrails at one look: each one-sided and always valid, Holm across those with
 * enough data. `tuning` is N* of the mixture (the results' sequentialTuning).
 *
 * @example
 * const [errors] = testGuardrails([{ metric: "error_rate", threshold: 0.02, action: "rollback" }], [{ kind: "ratio", control, treatment }]);
 * if (errors.status === "breach") rollBack(errors.reason);
 */
export function testGuardrails(guardrails: readonly Guardrail[], data: readonly GuardrailData[], alpha = 0.05, tuning = 5000): GuardrailResult[] {
  const results: GuardrailResult[] = guardrails.map((g, i) => {
    const d = data[i]!;
    const base = { metric: g.metric, action: g.action, pValue: null, pValueAdjusted: null, interval: null };
    if (d.kind === "budget") {
      const breach = d.costToday > g.threshold;
      return { ...base, status: breach ? "breach" : "ok", estimate: d.costToday, margin: g.threshold, samples: 0, reason: `${breach ? "breach" : "ok"}: cost today $${fmt(d.costToday)} ${breach ? ">" : "≤"} budget $${fmt(g.threshold)}` };
    }
    const harm = harmOf(g, d);
    if (typeof harm === "string") return { ...base, status: "insufficient", estimate: null, margin: null, samples: 0, reason: harm };
    const tau2 = mixtureVariance(harm.variance, harm.samples, alpha, tuning);
    const p = oneSidedSprt(harm.estimate - harm.margin, harm.variance, tau2);
    const { lower, upper } = mixtureSprt(harm.estimate, harm.variance, tau2, alpha).absolute;
    return { ...base, status: "ok", estimate: harm.estimate, margin: harm.margin, interval: { lower, upper }, pValue: p, samples: harm.samples, reason: "" };
  });
  const tested = results.filter((r) => r.pValue !== null);
  const adjusted = holm(tested.map((r) => r.pValue!));
  tested.forEach((r, i) => {
    r.pValueAdjusted = adjusted[i]!;
    const breach = r.pValueAdjusted < alpha;
    r.status = breach ? "breach" : "ok";
    const what = r.metric.endsWith("_p95") ? `share of calls above the limit ${fmt(P95_TAIL + r.estimate!)} vs ${P95_TAIL}` : `harm ${r.estimate! >= 0 ? "+" : ""}${fmt(r.estimate!)} vs margin ${fmt(r.margin!)}`;
    r.reason = `${breach ? "breach" : "ok"}: ${what} (one-sided always-valid p ${fmt(r.pValue!)}, Holm ${fmt(r.pValueAdjusted)})`;
  });
  return results;
}
