/**
 * Number formats shared by the terminal summary and the reports, so they print the same figures.
 *
 * @module
 */
import type { Interval } from "@edgeflag/analysis";

/** A score: 4 significant digits, integers as they are, null as an em dash. */
export function num(x: number | string | boolean | null | undefined): string {
  if (x === null || x === undefined) return "—";
  if (typeof x === "string") return x;
  if (typeof x === "boolean") return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(4).replace(/\.?0+$/, "");
}

const signed = (x: number) => `${x >= 0 ? "+" : "−"}${num(Math.abs(x))}`;

/** An interval's bounds: "[−0.02, +0.22]". */
export function bounds(i: Interval): string {
  return `[${signed(i.lower)}, ${signed(i.upper)}]`;
}

/** A signed difference with its interval: "+0.1 [−0.02, +0.22]". */
export function diff(i: Interval): string {
  return `${signed(i.estimate)} ${bounds(i)}`;
}

/** A p-value: 4 decimals, or scientific below 1e-4. */
export function pval(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
