/**
 * Offline experiments' statistics: multi-run aggregation, paired comparisons with the control,
 * and the non-inferiority CI gate. Pure; the runner (the CLI's `experiment run`) feeds it cells.
 *
 * @example
 * import { aggregateEvaluator, compareVariants, gate } from "@edgeflag/analysis";
 * const agg = aggregateEvaluator(cells, "b", { name: "exact", kind: "boolean", higherIsBetter: true });
 *
 * @module
 */
export { aggregateEvaluator, mode, recordScores, scoreKind, varianceSplit } from "./aggregate.ts";
export { compareVariants, pairedDifferences, type EvaluatorComparison, type PairedOptions, type VariantComparison } from "./compare.ts";
export { gate, type GateCheck, type GateRule } from "./gate.ts";
export type * from "./types.ts";
