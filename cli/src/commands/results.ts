import { ENV_PATTERN } from "@edgeflag/config-schema";
import { option, parseArgs, UsageError } from "../args.ts";
import { AdminClient, LOCAL_USAGE, type ResultsBody } from "../admin.ts";
import { print, printJson } from "../io.ts";
import { table } from "../table.ts";

export const usage = `edgeflag results --env E --flag F [--allocation A] [--control V] [--json]
                 (--url <worker> --token <admin token> | --local)

Prints an experiment's results from the Worker (GET /v1/results/:env/:flag): subjects per variant,
the sample-ratio check, every metric per variant, and each variant against the control (lift with
its confidence interval, p-value, Holm-adjusted p-value, always-valid p-value when the experiment
is sequential, chance to beat the control).
${LOCAL_USAGE}`;

const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)}%`);
const signed = (x: number, digits = 1) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(digits)}%`;
function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}
const pval = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));


function printResults(r: ResultsBody): void {
  print(`${r.flag} in ${r.env} · allocation ${r.allocation} · control ${r.control} · config v${r.configVersion ?? "?"} · ${r.computedAt}`);
  if (r.srm) {
    const parts = Object.entries(r.srm.observed).map(([v, n]) => `${v} ${n} (expected ${pct(r.srm!.expectedShares[v])})`);
    print(`sample ratio: ${parts.join(", ")} · p = ${pval(r.srm.pValue)}${r.srm.mismatch ? "  ⚠ SAMPLE RATIO MISMATCH (p < 0.001): the split is broken, do not trust the comparisons" : ""}`);
  }
  if (r.status === "no_data") {
    print("no exposures yet");
    return;
  }
  print("");
  const names = r.variants.map((v) => v.variant + (v.control ? " (control)" : ""));
  const rows = [["subjects", ...r.variants.map((v) => String(v.subjects))]];
  for (const m of r.metrics) {
    if (r.variants.every((v) => v.metrics[m.key]?.value === null)) continue;
    rows.push([m.label, ...r.variants.map((v) => fmt(v.metrics[m.key]?.value))]);
  }
  rows.push(["latency p50 / p95 (ms)", ...r.variants.map((v) => `${fmt(v.latency.p50)} / ${fmt(v.latency.p95)}`)]);
  if (r.variants.some((v) => v.ttft.p50 !== null)) rows.push(["TTFT p50 / p95 (ms)", ...r.variants.map((v) => `${fmt(v.ttft.p50)} / ${fmt(v.ttft.p95)}`)]);
  rows.push(["cost per day", ...r.variants.map((v) => fmt(v.costPerDay))]);
  table(["metric", ...names], rows);
  print("");
  if (r.status === "not_enough_data") {
    const have = Object.entries(r.waitingFor!.variants).map(([v, n]) => `${v} ${n}`).join(", ");
    print(`not enough data: waiting for ${r.waitingFor!.minSubjectsPerVariant} subjects per variant (have ${have})`);
    return;
  }
  const label = Object.fromEntries(r.metrics.map((m) => [m.key, m.label]));
  const seq = r.settings.sequential;
  table(
    ["variant", "metric", "relative lift [CI]", "absolute", "p", "p (Holm)", ...(seq ? ["always-valid p"] : []), "chance to beat", ""],
    r.comparisons.map((c) => [
      c.variant,
      label[c.metric] ?? c.metric,
      c.relative ? `${signed(c.relative.estimate)} [${signed(c.relative.lower)}, ${signed(c.relative.upper)}]` : "—",
      `${fmt(c.absolute.estimate)} [${fmt(c.absolute.lower)}, ${fmt(c.absolute.upper)}]`,
      pval(c.pValue),
      pval(c.pValueAdjusted),
      ...(seq ? [c.sequential ? pval(c.sequential.pValueAdjusted) : "—"] : []),
      pct(c.bayes.chanceToBeatControl),
      c.significant ? ((c.absolute.estimate > 0) === c.higherIsBetter ? "better" : "worse") : "",
    ]),
  );
  print(`\nalpha ${r.settings.alpha}${seq ? " · sequential (mSPRT): decisions use the always-valid p-values" : ""} · "better"/"worse": significant after Holm across ${r.comparisons.length} comparisons`);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["env", "flag", "allocation", "control", "url", "token"], booleans: ["local"] });
  const env = option(args, "env");
  const flag = option(args, "flag");
  if (!env) throw new UsageError("--env is required");
  if (!ENV_PATTERN.test(env)) throw new UsageError(`--env "${env}" must be 1 to 64 of A-Z a-z 0-9 _ -`);
  if (!flag) throw new UsageError("--flag is required");
  const api = AdminClient.connect({ url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") }, "results come from the Worker");
  const results = await api.results(env, flag, { allocation: option(args, "allocation"), control: option(args, "control") });
  if (args.flags.has("json")) printJson(results);
  else printResults(results);
  return 0;
}
