/**
 * `POST /v1/admin/configs/:env/rollback` `{"to": N, "reason"?}`: republishes version N's content
 * as a NEW, higher version signed by the Worker (through the env's ConfigWriter), so clients
 * that refuse older versions accept it.
 *
 * @module
 */
import { optionalString, readJsonObject } from "../lib/body.ts";
import { HttpError, json } from "../lib/http.ts";
import { signingKey } from "../lib/keys.ts";
import { envName, versionNumber } from "../lib/params.ts";
import type { Caller } from "../lib/auth.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { writerOf } from "../services/config-writer.ts";
import { applied, noSigningKey } from "../services/outcome.ts";

/**
 * 201 `{env, version, kid}`; 400 naming `/to`; 404 VERSION_NOT_FOUND; 501 NO_SIGNING_KEY.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/configs/production/rollback \
 *   -H "Authorization: Bearer $TOKEN" -d '{"to": 5, "reason": "bad answers in v6"}'
 */
export async function rollbackConfig(request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  const name = envName(params.env);
  const body = await readJsonObject(request);
  if (body.to === undefined) throw new HttpError(400, "FIELD_REQUIRED", "to (the version to restore) is required", { pointer: "/to" });
  const to = versionNumber(body.to, "/to");
  if ((await signingKey(env)) === undefined) throw noSigningKey();
  const change = { actor: actorOf(caller), reason: optionalString(body, "reason"), action: "rollback" as const };
  const published = await applied(writerOf(env, name).rollback(name, to, change));
  return json(published, 201, { Location: `/v1/configs/${name}/versions/${published.version}` });
}
