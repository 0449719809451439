/**
 * The two charts, as SVG: an interval drawn as a bar against zero (one comparison), and the
 * cumulative lift over time with its always-valid band (a sequential experiment's looks). Each
 * carries a text alternative saying what it shows.
 *
 * @module
 */
import { s } from "./dom.ts";
import { signed, when } from "./format.ts";

/** Which way a result leans: better, worse, or not significant. */
export type Verdict = "better" | "worse" | "unclear";

/**
 * The range a set of intervals spans, zero included, with a little room on each side.
 *
 * @example
 * span([0.1, 0.3]) // [-0.024, 0.324]
 */
export function span(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const pad = (hi - lo || 1) * 0.08;
  return [lo - pad, hi + pad];
}

/**
 * An interval bar against zero on the shared scale `range` (so bars of one metric compare).
 *
 * @example
 * intervalBar({ estimate: 0.02, lower: 0.01, upper: 0.03 }, [-0.05, 0.05], "better")
 */
export function intervalBar(iv: { estimate: number; lower: number; upper: number }, range: [number, number], verdict: Verdict): SVGElement {
  const W = 220, H = 26;
  const x = (v: number) => Math.max(0, Math.min(W, ((v - range[0]) / (range[1] - range[0])) * W));
  const label = `difference ${signed(iv.estimate)}, interval ${signed(iv.lower)} to ${signed(iv.upper)}${verdict === "unclear" ? ", not significant" : `, significantly ${verdict}`}`;
  return s(
    "svg",
    { class: `bar ${verdict}`, viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": label },
    s("title", null, label),
    s("line", { x1: x(0), x2: x(0), y1: 2, y2: H - 2, class: "zero" }),
    s("rect", { x: x(iv.lower), y: 8, width: Math.max(1, x(iv.upper) - x(iv.lower)), height: H - 16, rx: 3, class: "iv" }),
    s("circle", { cx: x(iv.estimate), cy: H / 2, r: 4, class: "est" }),
  );
}

/** One look of one comparison. */
export interface LiftPoint {
  at: string;
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * The cumulative lift over time: the estimate at each look as a line, its always-valid interval
 * as a band, zero as a rule. Unbounded ends of early intervals are drawn to the chart's edge.
 *
 * @example
 * liftChart(points, "thumbs_up_rate, gpt-4 vs gpt-35")
 */
export function liftChart(points: LiftPoint[], title: string): SVGElement {
  const W = 640, H = 220, L = 56, R = 12, T = 12, B = 28;
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const [lo, hi] = span(points.flatMap((p) => [p.estimate, p.lower, p.upper]).filter((v) => Math.abs(v) < 1e300));
  const x = (t: number) => L + (t1 === t0 ? (W - L - R) / 2 : ((t - t0) / (t1 - t0)) * (W - L - R));
  const y = (v: number) => T + (1 - (Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo)) * (H - T - B);
  const band = [...points.map((p, i) => `${x(times[i]!)},${y(p.upper)}`), ...points.map((p, i) => `${x(times[i]!)},${y(p.lower)}`).reverse()].join(" ");
  const last = points[points.length - 1]!;
  const label = `${title}: ${points.length} looks from ${when(points[0]!.at)} to ${when(last.at)}; last estimate ${signed(last.estimate)}, always-valid interval ${signed(last.lower)} to ${signed(last.upper)}`;
  return s(
    "svg",
    { class: "lift", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label, preserveAspectRatio: "xMidYMid meet" },
    s("title", null, label),
    s("polygon", { points: band, class: "band" }),
    s("line", { x1: L, x2: W - R, y1: y(0), y2: y(0), class: "zero" }),
    s("polyline", { points: points.map((p, i) => `${x(times[i]!)},${y(p.estimate)}`).join(" "), class: "est" }),
    points.map((p, i) => s("circle", { cx: x(times[i]!), cy: y(p.estimate), r: 3, class: "dot" })),
    s("text", { x: L - 6, y: y(hi) + 4, class: "tick", "text-anchor": "end" }, signed(hi)),
    s("text", { x: L - 6, y: y(0) + 4, class: "tick", "text-anchor": "end" }, "0"),
    s("text", { x: L - 6, y: y(lo), class: "tick", "text-anchor": "end" }, signed(lo)),
    s("text", { x: L, y: H - 8, class: "tick" }, when(points[0]!.at)),
    s("text", { x: W - R, y: H - 8, class: "tick", "text-anchor": "end" }, when(last.at)),
  );
}
