/**
 * `GET /v1/admin/configs/:env/history` and `GET /v1/admin/audit?env=E`: every change is a new
 * version carrying its record (actor, time, action, reason), so both read the same list.
 *
 * @module
 */
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import type { VersionRecord } from "@edgeflag/config-schema/domain";
import { writerOf } from "../services/config-writer.ts";

/** From the env's ConfigWriter, which owns the history (plus versions found only in KV). */
async function recordsOf(env: Env, name: string): Promise<{ latest: number | null; records: VersionRecord[] }> {
  const { latest, records } = await writerOf(env, name).history(name);
  if (latest === null && records.length === 0) throw new HttpError(404, "ENV_NOT_FOUND", `nothing was published for env "${name}"`);
  return { latest, records };
}

/**
 * 200 `{env, latest, versions: [VersionRecord…]}` newest first; 404 ENV_NOT_FOUND.
 *
 * @example
 * curl https://flags.example.com/v1/admin/configs/production/history -H "Authorization: Bearer $TOKEN"
 */
export async function getHistory(_request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const { latest, records } = await recordsOf(env, name);
  return json({ env: name, latest, versions: records });
}

/**
 * 200 `{env, entries: [VersionRecord…]}` newest first; 400 when `?env=` is missing or bad.
 *
 * @example
 * curl 'https://flags.example.com/v1/admin/audit?env=production' -H "Authorization: Bearer $TOKEN"
 */
export async function getAudit(request: Request, env: Env): Promise<Response> {
  const name = envName(new URL(request.url).searchParams.get("env"));
  const { records } = await recordsOf(env, name);
  return json({ env: name, entries: records });
}
