/**
 * `GET /v1/results/:env/:flag`: the experiment's verdict, computed from the events in D1 and the
 * flag's latest config (split weights for the sample-ratio check, the control, the experiment's
 * analysis settings). Query: `allocation` and `control` override the config's choice.
 * Results are business data: the route takes the admin bearer token.
 *
 * @module
 */
import type { Flag, FlagConfig } from "@edgeflag/config-schema";
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { analyze, applyLooks } from "@edgeflag/analysis";
import { readLooks, writeLooks } from "../results/looks.ts";
import { aggregateVariants, exposedAllocations } from "../results/query.ts";
import { readJws, readLatest } from "../storage/configs.ts";

async function latestConfig(kv: KVNamespace, env: string): Promise<{ version: number; config: FlagConfig } | null> {
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
 * The route handler.
 *
 * @example
 * { method: "GET", path: "/v1/results/:env/:flag", handler: getResults }
 */
export async function getResults(request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const flagKey = params.flag ?? "";
  if (flagKey === "" || flagKey.length > 128) throw new HttpError(400, "INVALID_FLAG", "flag must be 1 to 128 characters", { pointer: "/flag" });
  const query = new URL(request.url).searchParams;
  const [latest, exposed] = await Promise.all([latestConfig(env.FLAGS, name), exposedAllocations(env.DB, name, flagKey)]);
  const flag = latest?.config.flags[flagKey];
  if (flag === undefined && exposed.length === 0) {
    throw new HttpError(404, "FLAG_NOT_FOUND", `env ${name} has no flag "${flagKey}" and no exposures of it`, { pointer: "/flag" });
  }
  const allocation = pickAllocation(flag, query.get("allocation"), exposed);
  if (allocation === null) throw new HttpError(404, "NO_EXPERIMENT", `flag "${flagKey}" has no allocation that logs exposures`, { pointer: "/flag" });
  const def = flag?.allocations.find((a) => a.key === allocation);
  if (query.get("allocation") !== null && def === undefined && !exposed.some((e) => e.allocation === allocation)) {
    throw new HttpError(400, "UNKNOWN_ALLOCATION", `flag "${flagKey}" has no allocation "${allocation}"`, { pointer: "/allocation" });
  }
  const weights = def ? Object.fromEntries(def.splits.map((s) => [s.variant, s.weight])) : null;
  const variants = await aggregateVariants(env.DB, name, flagKey, allocation);
  const control = pickControl(flag, query.get("control"), weights, variants.map((v) => v.variant));
  let analysis = analyze({ control, weights, experiment: flag?.experiment ?? {}, variants });
  if (analysis.settings.sequential && analysis.status === "ok") {
    const scope = { env: name, flag: flagKey, allocation, control };
    const folded = applyLooks(analysis, await readLooks(env.DB, scope));
    await writeLooks(env.DB, scope, folded.looks, Date.now());
    analysis = folded.analysis;
  }
  const body = { env: name, flag: flagKey, allocation, control, configVersion: latest?.version ?? null, computedAt: new Date().toISOString(), ...analysis };
  return json(body, 200, { "Cache-Control": "no-store" });
}
