/**
 * One experiment's analysis from D1's events and the flag's latest config: which allocation and
 * control it compares (the config's choice unless the caller names one), the split weights for
 * the sample-ratio check, and the experiment's settings. Shared by `GET /v1/results/...` (which
 * only reads) and the looks cron (which records the sequential looks).
 *
 * @module
 */
import type { Flag, FlagConfig } from "@edgeflag/config-schema";
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { HttpError } from "../lib/http.ts";
import { analyze, type Analysis } from "@edgeflag/analysis";
import type { LookScope } from "../results/looks.ts";
import { aggregateVariants, exposedAllocations } from "../results/query.ts";
import { readJws, readLatest } from "../storage/configs.ts";

/** An analysed experiment: what it compared, on which config version, and the verdict. */
export interface ExperimentAnalysis {
  scope: LookScope;
  configVersion: number | null;
  analysis: Analysis;
}

/**
 * An env's latest config, decoded (its signature was checked when it was published).
 *
 * @example
 * const latest = await latestConfig(env.FLAGS, "production"); // { version: 7, config } or null
 */
export async function latestConfig(kv: KVNamespace, env: string): Promise<{ version: number; config: FlagConfig } | null> {
  const version = await readLatest(kv, env);
  const jws = version === null ? null : await readJws(kv, env, version);
  return jws === null ? null : { version: version!, config: decodeSignedConfig(jws).payload as FlagConfig };
}

function pickAllocation(flag: Flag | undefined, asked: string | null, exposed: { allocation: string }[]): string | null {
  if (asked !== null) return asked;
  if (flag?.experiment?.allocation) return flag.experiment.allocation;
  const logging = flag?.allocations.find((a) => a.log && exposed.some((e) => e.allocation === a.key));
  return logging?.key ?? flag?.allocations.find((a) => a.log)?.key ?? exposed[0]?.allocation ?? null;
}

function pickControl(flag: Flag | undefined, asked: string | null, weights: Record<string, number> | null, seen: string[]): string {
  if (asked !== null) {
    if (weights !== null ? Object.hasOwn(weights, asked) : seen.includes(asked)) return asked;
    throw new HttpError(400, "UNKNOWN_CONTROL", `control "${asked}" is not a variant of this experiment`, { pointer: "/control" });
  }
  const configured = flag?.experiment?.control;
  if (configured && (weights === null || Object.hasOwn(weights, configured))) return configured;
  if (weights !== null) return flag && Object.hasOwn(weights, flag.defaultVariant) ? flag.defaultVariant : Object.keys(weights)[0]!;
  return [...seen].sort()[0]!;
}

/**
 * Analyses one flag of one env; `asked` overrides the config's allocation and control (null: the
 * config's). Throws HttpError 404 for a flag with neither a config nor exposures, 400 for an
 * unknown allocation or control. Reads only: sequential looks are the caller's business.
 *
 * @example
 * const { scope, analysis } = await analyzeExperiment(env, "production", "chat-model", { allocation: null, control: null });
 */
export async function analyzeExperiment(env: Env, name: string, flagKey: string, asked: { allocation: string | null; control: string | null }): Promise<ExperimentAnalysis> {
  const [latest, exposed] = await Promise.all([latestConfig(env.FLAGS, name), exposedAllocations(env.DB, name, flagKey)]);
  // Own properties only: a flag named "constructor" in the URL is not Object.prototype.constructor.
  const flag = latest && Object.hasOwn(latest.config.flags, flagKey) ? latest.config.flags[flagKey] : undefined;
  if (flag === undefined && exposed.length === 0) {
    throw new HttpError(404, "FLAG_NOT_FOUND", `env ${name} has no flag "${flagKey}" and no exposures of it`, { pointer: "/flag" });
  }
  const allocation = pickAllocation(flag, asked.allocation, exposed);
  if (allocation === null) throw new HttpError(404, "NO_EXPERIMENT", `flag "${flagKey}" has no allocation that logs exposures`, { pointer: "/flag" });
  const def = flag?.allocations.find((a) => a.key === allocation);
  if (asked.allocation !== null && def === undefined && !exposed.some((e) => e.allocation === allocation)) {
    throw new HttpError(400, "UNKNOWN_ALLOCATION", `flag "${flagKey}" has no allocation "${allocation}"`, { pointer: "/allocation" });
  }
  const weights = def ? Object.fromEntries(def.splits.map((s) => [s.variant, s.weight])) : null;
  const variants = await aggregateVariants(env.DB, name, flagKey, allocation);
  const control = pickControl(flag, asked.control, weights, variants.map((v) => v.variant));
  const analysis = analyze({ control, weights, experiment: flag?.experiment ?? {}, variants });
  return { scope: { env: name, flag: flagKey, allocation, control }, configVersion: latest?.version ?? null, analysis };
}
