/**
 * Experiment statistics for the results route: fixed-horizon tests (Welch t, two-proportion z,
 * delta-method ratios), always-valid sequential tests (mSPRT), a Bayesian read-out, Holm's
 * correction, the SRM check and quantiles. Pure TypeScript on sufficient statistics; no I/O.
 *
 * @example
 * import { compareMeans, sampleRatioMismatch } from "@edgeflag/analysis";
 * const srm = sampleRatioMismatch([control.n, treatment.n], [0.5, 0.5]);
 * const tokens = compareMeans(control, treatment, { sequential: true, higherIsBetter: false });
 *
 * @module
 */
export { compareMeans, compareProportions, compareRatios } from "./compare.ts";
export { bayesLift, type BayesResult } from "./bayes.ts";
export { DEFAULT_SEQUENTIAL_TUNING, mixtureSprt, mixtureVariance, monotoneLooks } from "./sequential.ts";
export { holm } from "./holm.ts";
export { binomialTestHalf, mcnemar, signTest, wilcoxonSignedRank, pairedT, MCNEMAR_EXACT_BELOW, WILCOXON_EXACT_MAX, type PairedTest, type PairedT } from "./paired.ts";
export { pairedBootstrap, seededUniform, minimumDetectableEffect, recordsNeeded, type BootstrapOptions, type PowerOptions } from "./paired-power.ts";
export { sampleRatioMismatch, type SrmResult } from "./srm.ts";
export { quantile, quantileOf, quantileRanks } from "./quantile.ts";
export {
  chiSquareSurvival,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
} from "./distributions.ts";
export { incompleteBeta, incompleteGamma, logBeta, logGamma } from "./special.ts";
export type {
  CompareOptions,
  Comparison,
  ComparisonWarning,
  Interval,
  MeanSummary,
  ProportionSummary,
  RatioSummary,
  SequentialResult,
} from "./types.ts";
