/**
 * `edgeflag experiment run` from parsed options to files: it reads the config, the dataset and
 * the evaluators, runs the cells, builds results.json, gates against a baseline, writes the
 * reports and posts the results when asked.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gate, type GateRule } from "@edgeflag/analysis";
import type { FlagConfig } from "@edgeflag/config-schema";
import { CliError, count, printError, printJson, readJson, readValidConfig } from "../io.ts";
import { readAllowedUpstreams, refuseForeignUpstreams } from "../upstreams.ts";
import { CellCache, contentHash } from "./cache.ts";
import { readDataset } from "./dataset.ts";
import { buildEvaluator, higherIsBetter, loadModule } from "./evaluators.ts";
import type { Outcome } from "./exit-codes.ts";
import type { RetryPolicy } from "./model-call.ts";
import { startProgress } from "./progress.ts";
import { writeReports } from "./reports.ts";
import { buildResults, evaluatorInfos, RESULTS_FORMAT, type OfflineResults } from "./results.ts";
import { runCells, type TaskFunction } from "./runner.ts";
import { readEvaluators } from "./spec.ts";
import { postResults, printSummary } from "./output.ts";

/** The parsed command line. */
export interface ExperimentOptions {
  config: string;
  flag: string;
  dataset: string;
  evaluators: string;
  variants?: string[];
  control?: string;
  task?: string;
  runs: number;
  concurrency: number;
  out?: string;
  reports: string[];
  junit?: string;
  baseline?: string;
  failOn: GateRule[];
  breakdown?: string;
  alpha: number;
  seed: number;
  resamples: number;
  cache?: string;
  retry: RetryPolicy;
  wrangler?: string;
  post?: { env: string; url?: string; token?: string; local: boolean };
  json: boolean;
}

function chooseVariants(config: FlagConfig, o: ExperimentOptions): { control: string; variants: { name: string; value: unknown }[] } {
  if (!Object.hasOwn(config.flags, o.flag)) throw new CliError(`flag "${o.flag}" is not in ${o.config} (it has: ${Object.keys(config.flags).join(", ")})`);
  const flag = config.flags[o.flag]!;
  const all = Object.keys(flag.variants);
  const control = o.control ?? flag.defaultVariant;
  const names = [control, ...(o.variants ?? all).filter((v) => v !== control)];
  for (const n of names) if (!Object.hasOwn(flag.variants, n)) throw new CliError(`variant "${n}" is not a variant of ${o.flag} (it has: ${all.join(", ")})`);
  if (names.length < 1) throw new CliError(`${o.flag} has no variant to run`);
  return { control, variants: names.map((name) => ({ name, value: flag.variants[name]!.value })) };
}

async function loadBaseline(path: string): Promise<OfflineResults> {
  const doc = (await readJson(path)) as OfflineResults;
  if (doc?.format !== RESULTS_FORMAT || !Array.isArray(doc.cells)) throw new CliError(`${path} is not a results file of edgeflag experiment run (/format must be "${RESULTS_FORMAT}")`);
  return doc;
}

async function loadTask(path: string | undefined): Promise<{ fn: TaskFunction; hash: string } | undefined> {
  if (path === undefined) return undefined;
  const fn = (await loadModule(path, "task module")) as TaskFunction;
  return { fn, hash: contentHash(readFileSync(path, "utf8")) };
}

/**
 * Runs an offline experiment and says how it ended (see exit-codes.ts).
 *
 * @example
 * const outcome = await runExperiment(options); // "done" | "regression" | "no-cell-succeeded"
 */
export async function runExperiment(o: ExperimentOptions): Promise<Outcome> {
  const config = await readValidConfig(o.config);
  const { control, variants } = chooseVariants(config, o);
  const allowed = await readAllowedUpstreams(o.wrangler);
  refuseForeignUpstreams(o.config, config, allowed);
  const ctx = { fetch: globalThis.fetch, secret: (n: string) => process.env[n], allowedOrigins: (n: string) => allowed[n] ?? [], now: Date.now };
  const { records, errors } = readDataset(o.dataset);
  for (const e of errors) printError(`${o.dataset}:${e.line}: ${e.message} (line skipped)`);
  const spec = await readEvaluators(o.evaluators);
  const baseline = o.baseline === undefined ? undefined : await loadBaseline(o.baseline);
  // A gate with nothing to pair would pass vacuously: refuse it.
  if (baseline && !variants.some((v) => baseline.variants.includes(v.name))) throw new CliError(`${o.baseline} has none of the variants run here (it has: ${baseline.variants.join(", ")}); the gate pairs a variant with the same variant of the baseline`);
  const evaluators = await Promise.all(spec.evaluators.map(async (s) => ({ name: s.name, evaluate: await buildEvaluator(s, ctx, o.retry) })));
  const cache = new CellCache(o.cache);
  const total = variants.length * records.length * o.runs;
  const cells = await runCells({ variants, records, runs: o.runs, concurrency: o.concurrency, task: await loadTask(o.task), cache, ctx, retry: o.retry, evaluators, progress: startProgress(total) });
  const infos = evaluatorInfos(spec.evaluators, cells, higherIsBetter);
  for (const rule of o.failOn) {
    const info = infos.find((e) => e.name === rule.metric);
    if (!info || info.kind === "categorical") throw new CliError(`--fail-on-regression: "${rule.metric}" is not a numeric or pass/fail evaluator (have: ${infos.filter((e) => e.kind !== "categorical").map((e) => e.name).join(", ")})`);
  }
  const results = await buildResults({ config: o.config, flag: o.flag, control, variants: variants.map((v) => v.name), runs: o.runs, datasetFile: o.dataset, records, datasetErrors: errors, specs: spec.evaluators, summary: spec.summary, evaluators: infos, alpha: o.alpha, seed: o.seed, resamples: o.resamples, breakdown: o.breakdown, cache: { dir: o.cache ?? null, hits: cache.hits } }, cells);
  if (baseline && o.failOn.length > 0) {
    const checks = gate(cells, baseline.cells, results.variants.filter((v) => baseline.variants.includes(v)), infos, o.failOn, o.alpha / 2);
    results.gate = { baseline: o.baseline!, pass: checks.every((c) => c.pass), checks };
  }
  if (o.out) writeFileSync(o.out, JSON.stringify(results, null, 1) + "\n");
  await writeReports(results, o.reports, o.junit);
  if (o.post) await postResults(results, o.post);
  if (o.json) printJson(results);
  else printSummary(results);
  const failed = cells.filter((c) => c.error !== undefined).length;
  if (failed > 0) printError(`${count(failed, "cell")} of ${cells.length} failed (first: ${cells.find((c) => c.error)!.error})`);
  if (failed === cells.length) return "no-cell-succeeded";
  return results.gate && !results.gate.pass ? "regression" : "done";
}
