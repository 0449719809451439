/**
 * `GET /v1/results/:env/:flag/looks` (role read): the cumulative lift over time of a sequential
 * experiment, one point per look the cron recorded (src/results/look-history.ts), with the
 * always-valid interval after each look. The experiment (allocation, control) is chosen as
 * `GET /v1/results/:env/:flag` chooses it, with the same `allocation` and `control` queries.
 *
 * @module
 */
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { readLookHistory } from "../results/look-history.ts";
import { analyzeExperiment } from "../services/experiments.ts";

/**
 * 200 `{env, flag, allocation, control, sequential, points: [{variant, metric, at, looks, control, estimate, lower, upper, pValue}]}`.
 *
 * @example
 * curl https://flags.example.com/v1/results/production/chat-model/looks -H "Authorization: Bearer $TOKEN"
 */
export async function getLookHistory(request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const flagKey = params.flag ?? "";
  if (flagKey === "" || flagKey.length > 128) throw new HttpError(400, "INVALID_FLAG", "flag must be 1 to 128 characters", { pointer: "/flag" });
  const query = new URL(request.url).searchParams;
  const { scope, analysis } = await analyzeExperiment(env, name, flagKey, { allocation: query.get("allocation"), control: query.get("control") });
  const points = scope.allocation === null ? [] : await readLookHistory(env.DB, scope);
  return json({ env: name, flag: flagKey, allocation: scope.allocation, control: scope.control, sequential: analysis.settings.sequential, points }, 200, { "Cache-Control": "no-store" });
}
