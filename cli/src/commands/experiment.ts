import { option, parseArgs, UsageError, type ParsedArgs } from "../args.ts";
import { runExperiment, type ExperimentOptions } from "../offline/experiment.ts";
import { EXIT } from "../offline/exit-codes.ts";
import { checkReportNames } from "../offline/reports.ts";

export const usage = `edgeflag experiment run <config.json> --flag F --dataset data.jsonl --evaluators E [options]

Runs every record of a JSONL dataset through each variant of a flag (its model call, through the
router's provider adapters, or --task), scores the outputs, repeats it --runs times, and compares
each variant with the control, paired by record.

  --flag F                 the flag whose variants compete
  --variants a,b           only these variants (default: all; the control is always run)
  --control V              the variant the others are compared with (default: the flag's defaultVariant)
  --dataset data.jsonl     one {"input", "expected"?, "metadata"?, "id"?} per line
  --evaluators E           an evaluators JSON file, or built-in types: exact-match,token-f1,latency
  --task module.mjs        a task module: default export (input, variantValue, context) → output
  --runs N                 repetitions of every record (default 1)
  --concurrency N          cells in flight (default 4)
  --out results.json       the results (default: none; --json prints them)
  --report FILE            a report: .md (Markdown) or .html (a self-contained page); repeatable
  --junit FILE             JUnit XML: one test case per gate check (or per comparison)
  --baseline FILE          a results.json to gate against, paired by variant and record
  --fail-on-regression M:D fail (exit 3) unless the interval's bound of (run − baseline) on metric M
                           stays within the margin D (non-inferiority); repeatable
  --breakdown FIELD        split the comparisons by this metadata field
  --alpha A                two-sided level of the tests and intervals (default 0.05)
  --seed N, --resamples N  of the paired bootstrap (default 1 and 10000)
  --cache DIR              finished cells, so a killed run resumes (default .edgeflag-cache); --no-cache
  --retries N              retries on 429, 5xx and timeouts (default 4), backoff from --retry-base-ms (500)
  --wrangler FILE          the wrangler.toml whose ROUTER_UPSTREAMS says where key secrets may go
  --post --env E           post the results to the Worker (--url U --token T, or --local)

Upstream keys come from the environment variable named by each variant's apiKeySecret.
Exit codes: 0 done (and the gate passed), 1 a usage or input error, 2 an internal error,
3 the gate failed (a regression beyond the margin is not ruled out), 4 no cell succeeded.`;

const VALUES = ["flag", "variants", "control", "dataset", "evaluators", "task", "runs", "concurrency", "out", "report", "junit", "baseline", "fail-on-regression", "breakdown", "alpha", "seed", "resamples", "cache", "retries", "retry-base-ms", "wrangler", "env", "url", "token"];

function integer(args: ParsedArgs, name: string, fallback: number, min: number): number {
  const raw = option(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function rules(args: ParsedArgs): { metric: string; margin: number }[] {
  return (args.options.get("fail-on-regression") ?? []).map((text) => {
    const at = text.lastIndexOf(":");
    const margin = Number(text.slice(at + 1));
    if (at <= 0 || text.slice(at + 1) === "" || !Number.isFinite(margin) || margin < 0) throw new UsageError(`--fail-on-regression "${text}" must be metric:margin with a margin ≥ 0`);
    return { metric: text.slice(0, at), margin };
  });
}

function parse(argv: string[]): ExperimentOptions {
  const args = parseArgs(argv, { values: VALUES, booleans: ["no-cache", "post", "local"] });
  const [sub, config, ...extra] = args.positionals;
  if (sub !== "run") throw new UsageError(sub === undefined ? "missing subcommand: experiment run" : `unknown subcommand "${sub}" (the one subcommand is run)`);
  if (config === undefined) throw new UsageError("missing <config.json>");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const need = (name: string) => option(args, name) ?? (() => { throw new UsageError(`--${name} is required`); })();
  const alpha = Number(option(args, "alpha") ?? "0.05");
  if (!(alpha > 0 && alpha < 0.5)) throw new UsageError(`--alpha must be in (0, 0.5), got "${option(args, "alpha")}"`);
  const failOn = rules(args);
  checkReportNames(args.options.get("report") ?? []);
  if (failOn.length > 0 && option(args, "baseline") === undefined) throw new UsageError("--fail-on-regression needs --baseline");
  if (failOn.length === 0 && option(args, "baseline") !== undefined) throw new UsageError("--baseline needs --fail-on-regression metric:margin");
  if (args.flags.has("post") && option(args, "env") === undefined) throw new UsageError("--post needs --env");
  return {
    config,
    flag: need("flag"),
    dataset: need("dataset"),
    evaluators: need("evaluators"),
    variants: option(args, "variants")?.split(",").map((v) => v.trim()).filter(Boolean),
    control: option(args, "control"),
    task: option(args, "task"),
    runs: integer(args, "runs", 1, 1),
    concurrency: integer(args, "concurrency", 4, 1),
    out: option(args, "out"),
    reports: args.options.get("report") ?? [],
    junit: option(args, "junit"),
    baseline: option(args, "baseline"),
    failOn,
    breakdown: option(args, "breakdown"),
    alpha,
    seed: integer(args, "seed", 1, 0),
    resamples: integer(args, "resamples", 10_000, 100),
    cache: args.flags.has("no-cache") ? undefined : (option(args, "cache") ?? ".edgeflag-cache"),
    retry: { retries: integer(args, "retries", 4, 0), baseMs: integer(args, "retry-base-ms", 500, 0), capMs: 30_000 },
    wrangler: option(args, "wrangler"),
    post: args.flags.has("post") ? { env: option(args, "env")!, url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") } : undefined,
    json: args.flags.has("json"),
  };
}

export async function run(argv: string[]): Promise<number> {
  const outcome = await runExperiment(parse(argv));
  return EXIT[outcome];
}
