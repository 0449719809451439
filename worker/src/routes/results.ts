/**
 * `GET /v1/results/:env/:flag`: the experiment's verdict, computed from the events in D1 and the
 * flag's latest config (split weights for the sample-ratio check, the control, the experiment's
 * analysis settings), naming the config versions and signing kids its exposures were made on
 * (`configs`). Query: `allocation` and `control` override the config's choice.
 * Results are business data: the route takes the admin bearer token. It only reads: a sequential
 * experiment's always-valid results fold this reading into the looks the cron recorded.
 *
 * @module
 */
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { applyLooks } from "@edgeflag/analysis";
import { readLooks } from "../results/looks.ts";
import { analysedConfigs } from "../results/query.ts";
import { analyzeExperiment } from "../services/experiments.ts";

/**
 * The route handler.
 *
 * @example
 * { method: "GET", path: "/v1/results/:env/:flag", access: "admin", cors: "none", handler: getResults }
 */
export async function getResults(request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const flagKey = params.flag ?? "";
  if (flagKey === "" || flagKey.length > 128) throw new HttpError(400, "INVALID_FLAG", "flag must be 1 to 128 characters", { pointer: "/flag" });
  const query = new URL(request.url).searchParams;
  const { scope, configVersion, analysis: current } = await analyzeExperiment(env, name, flagKey, { allocation: query.get("allocation"), control: query.get("control") });
  // This reading is folded into the looks the cron recorded (scheduled/looks.ts), never stored.
  const sequential = current.settings.sequential && current.status === "ok";
  const analysis = sequential ? applyLooks(current, await readLooks(env.DB, scope)).analysis : current;
  // The versions and kids the exposures were evaluated on: what this result analysed.
  const configs = await analysedConfigs(env.DB, name, flagKey, scope.allocation);
  const body = { env: name, flag: flagKey, allocation: scope.allocation, control: scope.control, configVersion, configs, computedAt: new Date().toISOString(), ...analysis };
  return json(body, 200, { "Cache-Control": "no-store" });
}
