/**
 * `/v1/admin/offline/:env/:flag`: the results of offline experiments (`edgeflag experiment run
 * --post`), stored in D1 so the dashboard shows them beside the flag's online results. Both take a
 * token of role admin: the route table gives one path one set of rules, and posting is a change.
 *
 * @module
 */
import type { Caller } from "../lib/auth.ts";
import { readJsonObject } from "../lib/body.ts";
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { insertOfflineRun, listOfflineRuns, type OfflineRunInput } from "../storage/offline-runs.ts";

/** The format `edgeflag experiment run` writes; another is refused rather than stored blind. */
export const OFFLINE_FORMAT = "edgeflag-offline-results/1";

const invalid = (pointer: string, message: string) => new HttpError(400, "INVALID_RESULTS", message, { pointer });

function flagKey(value: string | undefined): string {
  if (value === undefined || value === "" || value.length > 128) throw new HttpError(400, "INVALID_FLAG", "flag must be 1 to 128 characters", { pointer: "/flag" });
  return value;
}

const count = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** The fields a stored run needs, each checked with its pointer. */
function checkResults(body: Record<string, unknown>, flag: string): Omit<OfflineRunInput, "env" | "createdBy"> {
  if (body.format !== OFFLINE_FORMAT) throw invalid("/format", `format must be "${OFFLINE_FORMAT}" (the results of edgeflag experiment run)`);
  if (body.flag !== flag) throw invalid("/flag", `flag must be "${flag}", the flag of the path`);
  const variants = body.variants;
  if (!Array.isArray(variants) || variants.length === 0 || variants.length > 64 || !variants.every((v) => typeof v === "string" && v.length > 0 && v.length <= 64)) throw invalid("/variants", "variants must be 1 to 64 variant keys");
  if (typeof body.control !== "string" || !variants.includes(body.control)) throw invalid("/control", "control must be one of the variants");
  const dataset = body.dataset as { records?: unknown } | undefined;
  if (!count(dataset?.records)) throw invalid("/dataset/records", "dataset.records must be a count");
  if (!count(body.runs) || (body.runs as number) < 1) throw invalid("/runs", "runs must be an integer ≥ 1");
  const gate = body.gate as { pass?: unknown } | undefined;
  if (gate !== undefined && typeof gate?.pass !== "boolean") throw invalid("/gate/pass", "gate.pass must be a boolean");
  return { flag, control: body.control, variants: variants as string[], records: dataset!.records as number, runs: body.runs as number, gatePass: gate === undefined ? null : (gate.pass as boolean), body: JSON.stringify(body) };
}

/**
 * 201 `{id, env, flag, createdAt, createdBy}`; 400 naming the field (`/format`, `/flag`,
 * `/variants`, `/control`, `/dataset/records`, `/runs`, `/gate/pass`); 413 above 2 MB.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/offline/production/chat-model -H "Authorization: Bearer $TOKEN" -d @results.json
 */
export async function postOfflineRun(request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  const name = envName(params.env);
  const flag = flagKey(params.flag);
  const run = checkResults(await readJsonObject(request), flag);
  return json(await insertOfflineRun(env.DB, { ...run, env: name, createdBy: actorOf(caller) }), 201);
}

/**
 * 200 `{env, flag, runs: [{id, createdAt, createdBy, control, variants, records, runs, gatePass,
 * results}…]}`, newest first; `?limit=` 1 to 100 (default 20).
 *
 * @example
 * curl https://flags.example.com/v1/results/production/chat-model/offline?limit=5 -H "Authorization: Bearer $TOKEN"
 */
export async function getOfflineRuns(request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const flag = flagKey(params.flag);
  const raw = new URL(request.url).searchParams.get("limit");
  const limit = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new HttpError(400, "INVALID_LIMIT", "limit must be an integer from 1 to 100", { pointer: "/limit" });
  return json({ env: name, flag, runs: await listOfflineRuns(env.DB, name, flag, limit) });
}
