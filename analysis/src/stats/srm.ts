/**
 * Sample ratio mismatch: are the subjects split across variants as the allocation says? A tiny
 * p-value means assignment or logging is broken, and no metric of the experiment can be trusted.
 *
 * @module
 */
import { chiSquareSurvival } from "./distributions.ts";

/**
 * Result of the SRM check.
 *
 * @example
 * const { pValue }: SrmResult = sampleRatioMismatch([1000, 1200], [1, 1]);
 */
export interface SrmResult {
  chiSquare: number;
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-square goodness of fit of the observed subject counts against the shares of the
 * allocation weights (any positive scale: [50, 50], [1, 1] and [0.5, 0.5] are the same), as
 * GrowthBook's SRM check (threshold 0.001 there). Variants of weight 0 take no part in the
 * test, except that any subject in one is an outright mismatch (chi-square Infinity, p 0).
 * No subjects, or fewer than two weighted variants, is no evidence: chi-square 0, p 1.
 *
 * @example
 * sampleRatioMismatch([1000, 1200], [0.5, 0.5]).pValue // ≈ 0.000020079
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmResult {
  if (observed.length !== weights.length) {
    throw new RangeError(`observed has ${observed.length} counts but weights has ${weights.length}`);
  }
  for (const [i, value] of [...observed, ...weights].entries()) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`count or weight #${i} is not a finite number ≥ 0: ${value}`);
  }
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const arms = weights.filter((w) => w > 0).length;
  const total = observed.reduce((sum, o) => sum + o, 0);
  const df = Math.max(0, arms - 1);
  if (total === 0 || arms < 2) return { chiSquare: 0, df, pValue: 1 };
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (total * weights[i]!) / totalWeight;
    if (expected === 0) {
      if (observed[i]! > 0) return { chiSquare: Infinity, df, pValue: 0 };
      continue;
    }
    chiSquare += (observed[i]! - expected) ** 2 / expected;
  }
  return { chiSquare, df, pValue: chiSquareSurvival(chiSquare, df) };
}
