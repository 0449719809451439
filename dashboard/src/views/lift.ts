/**
 * The cumulative lift over time of a sequential experiment: for a chosen metric, one chart per
 * variant from the looks the cron recorded, with the points as a table too.
 *
 * @module
 */
import { h, table } from "../dom.ts";
import { liftChart } from "../charts.ts";
import { differenceOf, pValue, when } from "../format.ts";
import type { LookHistory } from "../types.ts";
import type { Results } from "./results.ts";

function charts(r: Results, looks: LookHistory, metric: string): HTMLElement[] {
  const diff = differenceOf(metric);
  const d = (x: number) => (Math.abs(x) > 1e300 ? (x > 0 ? "∞" : "-∞") : diff(x));
  const variants = [...new Set(looks.points.filter((p) => p.metric === metric).map((p) => p.variant))];
  return variants.map((v) => {
    const points = looks.points.filter((p) => p.metric === metric && p.variant === v);
    const title = `${metric}, ${v} − ${r.control}`;
    return h(
      "figure",
      { "data-lift": `${v}:${metric}` },
      liftChart(points, title),
      h("figcaption", null, `${title}: the estimate at each look (line) and its always-valid interval (band).`),
      h("details", null, h("summary", null, `The ${points.length} looks as a table`), table(`Looks of ${title}`, ["look", "when", "difference", "always-valid interval", "always-valid p"], points.map((p) => [String(p.looks), when(p.at), d(p.estimate), `${d(p.lower)} to ${d(p.upper)}`, pValue(p.pValue)]))),
    );
  });
}

/**
 * The section, with a metric picker.
 *
 * @example
 * liftSection(results, looks)
 */
export function liftSection(r: Results, looks: LookHistory): HTMLElement {
  const metrics = [...new Set(looks.points.map((p) => p.metric))];
  const heading = h("h2", null, "Cumulative lift over time");
  if (metrics.length === 0) return h("section", null, heading, h("p", { class: "wait" }, "No look recorded yet: the looks cron records one every 15 minutes once the experiment has enough data."));
  const first = metrics.includes("thumbs_up_rate") ? "thumbs_up_rate" : metrics[0]!;
  const out = h("div", null, charts(r, looks, first));
  const label = (k: string) => r.metrics.find((m) => m.key === k)?.label ?? k;
  const select = h("select", { id: "lift-metric", onchange: (e) => out.replaceChildren(...charts(r, looks, (e.target as HTMLSelectElement).value)) }, metrics.map((m) => h("option", { value: m, selected: m === first }, label(m))));
  return h("section", null, heading, h("label", { for: "lift-metric" }, "Metric "), select, out);
}
