/**
 * `POST /v1/admin/configs/:env/kill` `{"flag", "variant", "reason"?}`: the kill switch. A new
 * version in which the flag is disabled with `defaultVariant` = the variant, so every subject gets
 * that variant (reason DISABLED, SPEC.md §2.3) and no exposure is logged. Applied by the env's
 * ConfigWriter to the latest content, so a publish racing it is never undone.
 *
 * @module
 */
import { optionalString, readJsonObject, requiredString } from "../lib/body.ts";
import { json } from "../lib/http.ts";
import { signingKey } from "../lib/keys.ts";
import { envName } from "../lib/params.ts";
import type { Caller } from "../lib/auth.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { writerOf } from "../services/config-writer.ts";
import { applied, noSigningKey } from "../services/outcome.ts";

/**
 * 201 `{env, version, kid}`; 400 naming `/flag` or `/variant`; 404 ENV_NOT_FOUND; 501 NO_SIGNING_KEY.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/configs/production/kill \
 *   -H "Authorization: Bearer $TOKEN" -d '{"flag": "chat-model", "variant": "fixed", "reason": "outage"}'
 */
export async function killFlag(request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  const name = envName(params.env);
  const body = await readJsonObject(request);
  const flag = requiredString(body, "flag");
  const variant = requiredString(body, "variant");
  if ((await signingKey(env)) === undefined) throw noSigningKey();
  const change = { actor: actorOf(caller), reason: optionalString(body, "reason"), action: "kill" as const };
  const published = await applied(writerOf(env, name).kill(name, flag, variant, change));
  return json(published, 201, { Location: `/v1/configs/${name}/versions/${published.version}` });
}
