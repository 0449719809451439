/**
 * Offline experiments beside a flag's online results: the runs `edgeflag experiment run --post`
 * stored for this flag (newest first), and for the newest, each variant against its control per
 * evaluator, paired by record: the mean difference with its paired t interval drawn against zero,
 * the Holm-adjusted p-value, wins, ties and losses.
 *
 * @module
 */
import { h, num, table } from "../dom.ts";
import { fmt, pValue, when } from "../format.ts";
import { intervalBar, span, type Verdict } from "../charts.ts";

/** One evaluator's paired comparison, as the offline results file holds it. */
interface OfflineEvaluator {
  evaluator: string;
  higherIsBetter: boolean;
  pairs: number;
  control: number;
  variant: number;
  difference: { estimate: number; lower: number; upper: number };
  holmPValue: number | null;
  wins: number;
  ties: number;
  losses: number;
}

/** One stored run, as GET /v1/results/:env/:flag/offline lists it. */
export interface OfflineRun {
  id: number;
  createdAt: string;
  createdBy: string;
  control: string;
  variants: string[];
  records: number;
  runs: number;
  gatePass: boolean | null;
  results: { comparisons?: { variant: string; control: string; evaluators: OfflineEvaluator[] }[] };
}

function verdict(e: OfflineEvaluator, alpha: number): Verdict {
  if (e.holmPValue === null || e.holmPValue >= alpha) return "unclear";
  return e.difference.estimate > 0 === e.higherIsBetter ? "better" : "worse";
}

/**
 * The section, or null when no offline run was posted for the flag.
 *
 * @example
 * offlineSection((await api<{ runs: OfflineRun[] }>(`${base}/offline?limit=5`)).runs)
 */
export function offlineSection(runs: readonly OfflineRun[], alpha = 0.05): HTMLElement | null {
  const [latest] = runs;
  if (latest === undefined) return null;
  const gate = (g: boolean | null) => (g === null ? "no gate" : g ? "gate passed" : "gate FAILED");
  const list = table(
    "Offline runs of this flag, newest first",
    ["posted", "by", "variants", "records × runs", "CI gate"],
    runs.map((r) => [when(r.createdAt), r.createdBy, `${r.variants.join(", ")} (control ${r.control})`, `${r.records} × ${r.runs}`, gate(r.gatePass)]),
    { "data-table": "offline-runs" },
  );
  const rows = (latest.results.comparisons ?? []).flatMap((c) => c.evaluators.map((e) => ({ c, e })));
  const range = span(rows.flatMap(({ e }) => [e.difference.lower, e.difference.upper]));
  const detail = table(
    `Newest run (${when(latest.createdAt)}): each variant against ${latest.control}, paired by record`,
    ["evaluator", "variant", "difference", "vs 0", "95% interval (paired t)", "p (Holm)", "win / tie / loss", "control", "variant value"],
    rows.map(({ c, e }) => [
      h("span", { "data-offline": `${c.variant}:${e.evaluator}` }, e.evaluator),
      c.variant,
      h("span", { "data-field": "estimate" }, num(e.difference.estimate, fmt)),
      intervalBar(e.difference, range, verdict(e, alpha)),
      `${fmt(e.difference.lower)} to ${fmt(e.difference.upper)}`,
      h("span", { "data-field": "holm" }, num(e.holmPValue, pValue)),
      `${e.wins} / ${e.ties} / ${e.losses}`,
      num(e.control, fmt),
      num(e.variant, fmt),
    ]),
    { "data-table": "offline-comparisons" },
    false,
  );
  return h("section", { "data-offline-runs": String(runs.length) }, h("h2", null, "Offline experiments"), h("p", { class: "note" }, "Runs of `edgeflag experiment run --post` over a dataset, before or beside live traffic: the same flag and variants, scored by evaluators."), list, detail);
}
