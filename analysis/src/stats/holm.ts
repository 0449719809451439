/**
 * Holm–Bonferroni adjustment for many metrics or many variants read together: it controls the
 * family-wise error rate like Bonferroni, under any dependence, and is never less powerful.
 *
 * @module
 */

/**
 * Holm-adjusted p-values in the input order: sort ascending, multiply the i-th smallest (from 0)
 * by m − i, take the running maximum so the adjusted values keep the raw order, and cap at 1.
 * Compare each result with alpha directly. A NaN p-value is treated as 1 and values outside
 * [0, 1] are clamped, so one bad input cannot turn the whole family into NaN.
 *
 * @example
 * holm([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const clean = pValues.map((p) => (Number.isNaN(p) ? 1 : Math.min(1, Math.max(0, p))));
  // Stable order, so ties keep their input order and the result is deterministic.
  const order = clean.map((_, i) => i).sort((a, b) => clean[a]! - clean[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * clean[index]!));
    adjusted[index] = running;
  });
  return adjusted;
}
