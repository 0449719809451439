/**
 * Always-valid inference: the normal-mixture sequential probability ratio test (mSPRT, Johari et
 * al. 2017, "Peeking at A/B tests"). Its p-value and confidence sequence stay valid however often
 * the results page is looked at, which the fixed-horizon p-value does not.
 *
 * @module
 */
import type { Interval, SequentialResult } from "./types.ts";

/** GrowthBook's default N*: the confidence sequence is tightest around 5000 subjects in total. */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/**
 * The mixture variance τ² of the effect, tuned the way GrowthBook documents it: N* is the total
 * sample size at which the confidence sequence should be tightest, and the optimal standardized
 * mixture variance there is ρ² = (−2 ln α + ln(1 − 2 ln α)) / N* (Waudby-Smith et al. 2023,
 * eq. 161; GrowthBook's `sequentialRho`). ρ is in units of one subject's standard deviation, so
 * on the scale of the effect τ² = ρ² · σ̂² with σ̂² = V · n, V the estimate's variance and n the
 * subjects of both arms. This reproduces GrowthBook's interval and p-value exactly, and keeps
 * the test scale-free: the same N* suits tokens, latency or conversion.
 *
 * @example
 * mixtureVariance(0.01, 2000) // τ² for an estimate with variance 0.01 from 2000 subjects
 */
export function mixtureVariance(
  variance: number,
  n: number,
  alpha = 0.05,
  tuning: number = DEFAULT_SEQUENTIAL_TUNING,
): number {
  if (!(tuning > 0)) throw new RangeError(`sequentialTuning must be > 0, got ${tuning}`);
  const rho2 = (-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning;
  return rho2 * variance * n;
}

/**
 * The mSPRT at one look, for an estimate θ̂ ~ N(θ, V) under a N(0, τ²) mixture over θ:
 * Λ = √(V/(V+τ²)) · exp(θ̂²τ² / (2V(V+τ²))), p = min(1, 1/Λ), and the confidence sequence
 * θ̂ ± √(V(V+τ²)/τ² · (ln((V+τ²)/V) − 2 ln α)), which excludes 0 exactly when p < α.
 *
 * Degenerate inputs: V = Infinity (no estimate yet) gives p = 1 and an unbounded interval;
 * V = 0 gives p = 1 and [0, 0] when θ̂ = 0, else p = 0 and [θ̂, θ̂] (no noise left to doubt).
 *
 * @example
 * const { pValue, absolute } = mixtureSprt(0.5, 0.04, mixtureVariance(0.04, 2000));
 */
export function mixtureSprt(estimate: number, variance: number, tau2: number, alpha = 0.05): SequentialResult {
  if (variance === Infinity || !(tau2 > 0 || variance === 0)) {
    return { pValue: 1, absolute: { estimate, lower: -Infinity, upper: Infinity } };
  }
  if (variance === 0) {
    return { pValue: estimate === 0 ? 1 : 0, absolute: { estimate, lower: estimate, upper: estimate } };
  }
  const total = variance + tau2;
  const logLambda = 0.5 * Math.log(variance / total) + (estimate * estimate * tau2) / (2 * variance * total);
  const pValue = Math.min(1, Math.exp(-logLambda));
  const half = Math.sqrt(((variance * total) / tau2) * (Math.log(total / variance) - 2 * Math.log(alpha)));
  return { pValue, absolute: { estimate, lower: estimate - half, upper: estimate + half } };
}

/**
 * Carries always-valid results across looks: the running minimum of the p-value and the running
 * intersection of the confidence sequences (both stay valid, and neither moves back). If the
 * intersection would be empty, the effect has evidently changed over time (a constant effect
 * lies in every interval), so the current interval is kept rather than a stale, falsely precise
 * one. The estimate is always the current look's.
 *
 * @example
 * let carried = null;
 * for (const look of looks) carried = monotoneLooks(carried, look);
 */
export function monotoneLooks(previous: SequentialResult | null, current: SequentialResult): SequentialResult {
  if (previous === null) return { pValue: current.pValue, absolute: { ...current.absolute } };
  const pValue = Math.min(previous.pValue, current.pValue);
  const lower = Math.max(previous.absolute.lower, current.absolute.lower);
  const upper = Math.min(previous.absolute.upper, current.absolute.upper);
  const absolute: Interval = lower <= upper ? { estimate: current.absolute.estimate, lower, upper } : { ...current.absolute };
  return { pValue, absolute };
}
