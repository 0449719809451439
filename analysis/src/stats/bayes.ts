/**
 * Bayesian read-out of a lift: a normal approximation of its posterior, as GrowthBook's effect
 * engine does. The lift's delta-method mean and variance are the likelihood; an optional normal
 * prior is combined with it by precision.
 *
 * @module
 */
import { normalCdf, normalPdf } from "./distributions.ts";

/**
 * Chance to beat control and expected loss of shipping the treatment.
 *
 * @example
 * const { chanceToBeatControl } = bayesLift(0.05, 0.0004);
 */
export interface BayesResult {
  chanceToBeatControl: number;
  expectedLoss: number;
}

/**
 * Posterior of the lift and the two numbers a decision needs. With lift L ~ N(μ, σ²):
 * chanceToBeatControl = P(L > 0) (P(L < 0) when lower is better), and expectedLoss =
 * E[max(0, −L)] = σφ(μ/σ) − μΦ(−μ/σ), the lift you lose on average by shipping treatment
 * (mirrored when lower is better), in the units of the lift.
 *
 * Degenerate inputs: variance 0 is a point mass at the estimate (chance 1, ½ or 0; loss
 * max(0, −estimate)); variance Infinity (no data yet) leaves the prior, and with a flat prior
 * chance ½ and an infinite expected loss (JSON writes null): nothing is known yet.
 *
 * @example
 * bayesLift(0.02, 0.0001, { mean: 0, sd: 0.1 }, true).chanceToBeatControl // ≈ 0.977
 */
export function bayesLift(
  estimate: number,
  variance: number,
  prior: { mean: number; sd: number } | null = null,
  higherIsBetter = true,
): BayesResult {
  let mean = estimate;
  let sd = Math.sqrt(variance);
  if (prior !== null && variance > 0) {
    if (!(prior.sd > 0) || !Number.isFinite(prior.mean)) throw new RangeError("prior needs a finite mean and sd > 0");
    const precision = (variance === Infinity ? 0 : 1 / variance) + 1 / (prior.sd * prior.sd);
    mean = ((variance === Infinity ? 0 : estimate / variance) + prior.mean / (prior.sd * prior.sd)) / precision;
    sd = Math.sqrt(1 / precision);
  }
  // Lower is better: the treatment wins when the lift is negative, so mirror the lift.
  if (!higherIsBetter) mean = -mean;
  if (sd === Infinity) return { chanceToBeatControl: 0.5, expectedLoss: Infinity };
  if (sd === 0) return { chanceToBeatControl: mean > 0 ? 1 : mean < 0 ? 0 : 0.5, expectedLoss: Math.max(0, -mean) };
  const k = mean / sd;
  return { chanceToBeatControl: normalCdf(k), expectedLoss: Math.max(0, sd * normalPdf(k) - mean * normalCdf(-k)) };
}
