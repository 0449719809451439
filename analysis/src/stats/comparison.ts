/**
 * What every comparison shares once each arm is reduced to an estimate and the variance of that
 * estimate: intervals, the delta-method relative lift, the mSPRT and the Bayesian read-out. The
 * three public comparisons differ only in how they get there and in their test statistic.
 *
 * @module
 */
import { bayesLift } from "./bayes.ts";
import { mixtureSprt, mixtureVariance, DEFAULT_SEQUENTIAL_TUNING } from "./sequential.ts";
import type { CompareOptions, Comparison, ComparisonWarning, Interval } from "./types.ts";

/** One arm: the metric's estimate and that estimate's sampling variance (Infinity if unknown). */
export interface ArmEstimate {
  value: number;
  variance: number;
}

/** Options with their defaults filled in and checked. */
export interface ResolvedOptions {
  alpha: number;
  higherIsBetter: boolean;
  sequential: boolean;
  sequentialTuning: number;
  prior: { mean: number; sd: number } | null;
}

/**
 * Fills in the defaults of {@link CompareOptions}; throws a RangeError on an alpha outside (0, 1)
 * or a non-positive tuning, which are caller bugs rather than data.
 *
 * @example
 * resolveOptions({ sequential: true }).alpha // 0.05
 */
export function resolveOptions(options: CompareOptions = {}): ResolvedOptions {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const sequentialTuning = options.sequentialTuning ?? DEFAULT_SEQUENTIAL_TUNING;
  if (!(sequentialTuning > 0)) throw new RangeError(`sequentialTuning must be > 0, got ${sequentialTuning}`);
  return {
    alpha,
    higherIsBetter: options.higherIsBetter ?? true,
    sequential: options.sequential ?? false,
    sequentialTuning,
    prior: options.prior ?? null,
  };
}

/** v·k², except 0 when k is 0: an unknown variance times a zero sensitivity contributes nothing. */
const scaled = (variance: number, k: number): number => (k === 0 ? 0 : variance * k * k);

/** estimate ± half, with an unbounded interval when half is infinite. */
function interval(estimate: number, half: number): Interval {
  return { estimate, lower: estimate - half, upper: estimate + half };
}

/**
 * The relative lift (t − c)/c and its delta-method variance Var(t)/c² + Var(c)·t²/c⁴
 * (first-order Taylor expansion of the quotient, arms independent); null when c is 0.
 *
 * @example
 * relativeLift({ value: 10, variance: 1 }, { value: 11, variance: 1 }) // { estimate: 0.1, variance: 0.0221 }
 */
export function relativeLift(control: ArmEstimate, treatment: ArmEstimate): { estimate: number; variance: number } | null {
  const c = control.value;
  if (c === 0) return null;
  return {
    estimate: (treatment.value - c) / c,
    variance: scaled(treatment.variance, 1 / c) + scaled(control.variance, treatment.value / (c * c)),
  };
}

/** The parts each public comparison computes for itself. */
export interface TestParts {
  test: Comparison["test"];
  statistic: number;
  df: number | null;
  pValue: number;
  /** Two-sided critical value at alpha for the fixed-horizon intervals (t or z). */
  critical: number;
  cohensD: number | null;
  /** Subjects in both arms: the n of the mixture's tuning. */
  subjects: number;
  warnings: ComparisonWarning[];
}

/**
 * Assembles a {@link Comparison} from the two arms and the test's own parts.
 *
 * @example
 * return buildComparison(controlArm, treatmentArm, { test: "delta-z", ...parts }, resolveOptions(options));
 */
export function buildComparison(
  control: ArmEstimate,
  treatment: ArmEstimate,
  parts: TestParts,
  options: ResolvedOptions,
): Comparison {
  const warnings = [...parts.warnings];
  const difference = treatment.value - control.value;
  const variance = control.variance + treatment.variance;
  const lift = relativeLift(control, treatment);
  if (lift === null) warnings.push("control-zero");
  const relative = lift === null ? null : interval(lift.estimate, parts.critical * Math.sqrt(lift.variance));
  const sequential = options.sequential
    ? mixtureSprt(difference, variance, mixtureVariance(variance, parts.subjects, options.alpha, options.sequentialTuning), options.alpha)
    : null;
  // The prior is on the relative lift; with no relative lift there is nothing to put it on.
  const bayes =
    lift === null
      ? { ...bayesLift(difference, variance, null, options.higherIsBetter), scale: "absolute" as const }
      : { ...bayesLift(lift.estimate, lift.variance, options.prior, options.higherIsBetter), scale: "relative" as const };
  return {
    control: control.value,
    treatment: treatment.value,
    absolute: interval(difference, parts.critical * Math.sqrt(variance)),
    relative,
    test: parts.test,
    statistic: parts.statistic,
    df: parts.df,
    pValue: parts.pValue,
    cohensD: parts.cohensD,
    sequential,
    bayes,
    warnings,
  };
}
