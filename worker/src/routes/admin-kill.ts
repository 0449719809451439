/**
 * `POST /v1/admin/configs/:env/kill` `{"flag", "variant", "reason"?}`: the kill switch. A new
 * version in which the flag is disabled with `defaultVariant` = the variant, so every subject gets
 * that variant (reason DISABLED, SPEC.md §2.3) and no exposure is logged.
 *
 * @module
 */
import type { Flag, FlagConfig } from "@edgeflag/config-schema";
import { optionalString, readJsonObject, requiredString } from "../lib/body.ts";
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import { contentOf, signAndPublish } from "../lib/publish.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { readJws, readLatest } from "../storage/configs.ts";

function killed(config: FlagConfig, flagKey: string, variant: string): FlagConfig {
  const flags = config.flags ?? {};
  if (!Object.hasOwn(flags, flagKey)) throw new HttpError(400, "UNKNOWN_FLAG", `the latest config has no flag "${flagKey}"`, { pointer: "/flag" });
  const flag: Flag = flags[flagKey]!;
  if (!Object.hasOwn(flag.variants ?? {}, variant)) {
    const known = Object.keys(flag.variants ?? {}).map((v) => `"${v}"`).join(", ");
    throw new HttpError(400, "UNKNOWN_VARIANT", `flag "${flagKey}" has no variant "${variant}" (it has ${known})`, { pointer: "/variant" });
  }
  return { ...config, flags: { ...flags, [flagKey]: { ...flag, enabled: false, defaultVariant: variant } } };
}

/**
 * 201 `{env, version, kid}`; 400 naming `/flag` or `/variant`; 404 ENV_NOT_FOUND; 501 NO_SIGNING_KEY.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/configs/production/kill \
 *   -H "Authorization: Bearer $TOKEN" -d '{"flag": "chat-model", "variant": "fixed", "reason": "outage"}'
 */
export async function killFlag(request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  const body = await readJsonObject(request);
  const flag = requiredString(body, "flag");
  const variant = requiredString(body, "variant");
  const change = { actor: actorOf(request, optionalString(body, "actor")), reason: optionalString(body, "reason"), action: "kill" as const, flag, variant };
  const latest = await readLatest(env.FLAGS, name);
  const jws = latest === null ? null : await readJws(env.FLAGS, name, latest);
  if (latest === null || jws === null) throw new HttpError(404, "ENV_NOT_FOUND", `nothing was published for env "${name}"`);
  const published = await signAndPublish(env, name, latest, killed(contentOf(jws), flag, variant), change);
  return json(published, 201, { Location: `/v1/configs/${name}/versions/${published.version}` });
}
