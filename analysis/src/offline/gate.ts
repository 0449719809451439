/**
 * The CI gate as a non-inferiority test: a change fails only when the interval of
 * (current − baseline), paired by record, shows it worse than the baseline by more than the
 * margin. A raw mean that dips inside the noise passes; an interval too wide to rule the margin
 * out fails, because "not shown to be no worse" is what non-inferiority refuses.
 *
 * @module
 */
import { pairedT } from "../stats/paired.ts";
import type { Interval } from "../stats/types.ts";
import { recordScores } from "./aggregate.ts";
import type { EvaluatorInfo, ScoredCell } from "./types.ts";

/** One rule of `--fail-on-regression metric:margin`. */
export interface GateRule {
  metric: string;
  /** In the metric's units, ≥ 0: the most it may get worse. */
  margin: number;
}

/** One variant's verdict on one rule. */
export interface GateCheck {
  variant: string;
  metric: string;
  margin: number;
  higherIsBetter: boolean;
  pairs: number;
  /** current − baseline, two-sided (1 − 2·alpha): its worse-side bound is the one-sided 1 − alpha bound. */
  difference: Interval;
  /** The bound on the worse side: lower when higher is better, upper otherwise. */
  bound: number;
  pass: boolean;
  reason: string;
}

/**
 * Checks each rule for each variant found in both runs, pairing records by id. alpha is
 * one-sided (default 0.025, so the interval is the usual two-sided 95%). No pair: a failure.
 *
 * @example
 * const checks = gate(current, baseline, ["b"], [{ name: "exact", kind: "boolean", higherIsBetter: true }], [{ metric: "exact", margin: 0.05 }]);
 * const failed = checks.some((c) => !c.pass);
 */
export function gate(current: readonly ScoredCell[], baseline: readonly ScoredCell[], variants: readonly string[], evaluators: readonly EvaluatorInfo[], rules: readonly GateRule[], alpha = 0.025): GateCheck[] {
  const checks: GateCheck[] = [];
  for (const rule of rules) {
    const evaluator = evaluators.find((e) => e.name === rule.metric)!;
    for (const variant of variants) {
      const before = new Map(recordScores(baseline, variant, evaluator).map((r) => [r.record, r.value as number]));
      const d = recordScores(current, variant, evaluator).filter((r) => before.has(r.record)).map((r) => (r.value as number) - before.get(r.record)!);
      const difference = pairedT(d, 1 - 2 * alpha).interval;
      const up = evaluator.higherIsBetter;
      const bound = up ? difference.lower : difference.upper;
      const pass = d.length > 0 && (up ? bound >= -rule.margin : bound <= rule.margin);
      const side = up ? "lower" : "upper";
      const reason = d.length === 0
        ? `no record of ${variant} was scored in both runs`
        : pass
          ? `${side} bound ${bound.toPrecision(4)} is within the margin ${up ? "-" : "+"}${rule.margin}`
          : `${side} bound ${bound.toPrecision(4)} is beyond the margin ${up ? "-" : "+"}${rule.margin}: a regression cannot be ruled out`;
      checks.push({ variant, metric: rule.metric, margin: rule.margin, higherIsBetter: up, pairs: d.length, difference, bound, pass, reason });
    }
  }
  return checks;
}
