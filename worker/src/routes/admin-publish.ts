/**
 * `POST /v1/admin/configs/:env`: publish a config, either unsigned (`{"config": {...}}`, which the
 * Worker validates and signs with SIGNING_KEY as the next version) or pre-signed (`{"jws": "..."}`
 * or a raw `application/jose` body, which the Worker verifies against its trusted keys). The
 * version is stored by the env's ConfigWriter, one change at a time.
 *
 * @module
 */
import { pointer, validate, type FlagConfig } from "@edgeflag/config-schema";
import type { Published } from "@edgeflag/config-schema/domain";
import { ConfigVerificationError, verifyConfig, type VerifiedConfig } from "@edgeflag/sdk/signing";
import { optionalString, readJsonObject, readText } from "../lib/body.ts";
import { HttpError, json } from "../lib/http.ts";
import { publicKeys, signingKey } from "../lib/keys.ts";
import { envName } from "../lib/params.ts";
import { refuseForeignUpstreams } from "../lib/upstreams.ts";
import type { Caller } from "../lib/auth.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { writerOf } from "../services/config-writer.ts";
import { applied, noSigningKey } from "../services/outcome.ts";

interface PublishInput {
  /** An unsigned config for the Worker to sign, or a pre-signed JWS (at `where` in the body). */
  config?: unknown;
  jws?: string;
  where?: string;
  reason?: string;
}

async function readInput(request: Request): Promise<PublishInput> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/jose") return { jws: (await readText(request)).trim(), where: "" };
  const body = await readJsonObject(request);
  const reason = optionalString(body, "reason");
  if (body.jws !== undefined && body.config !== undefined) throw new HttpError(400, "BODY_INVALID", "send either config or jws, not both", { pointer: "/jws" });
  if (body.jws !== undefined) {
    if (typeof body.jws !== "string" || body.jws.trim() === "") throw new HttpError(400, "FIELD_INVALID", "jws must be a compact JWS string", { pointer: "/jws" });
    return { jws: body.jws.trim(), where: "/jws", reason };
  }
  if (body.config === undefined) throw new HttpError(400, "FIELD_REQUIRED", "send {\"config\": {...}} to have the Worker sign it, or {\"jws\": \"...\"}", { pointer: "/config" });
  if (typeof body.config !== "object" || body.config === null || Array.isArray(body.config)) {
    throw new HttpError(400, "FIELD_INVALID", "config must be a JSON object", { pointer: "/config" });
  }
  return { config: body.config, reason };
}

/** Verifies a pre-signed config; a refusal is a 400 with the verifier's code, pointing at the JWS. */
async function verify(env: Env, name: string, jws: string, where: string): Promise<VerifiedConfig> {
  try {
    return await verifyConfig(jws, { keys: await publicKeys(env), env: name });
  } catch (e) {
    if (!(e instanceof ConfigVerificationError)) throw e;
    throw new HttpError(400, e.code, e.message, { pointer: where, ...(e.errors.length > 0 && { errors: e.errors }) });
  }
}

function validConfig(config: unknown): FlagConfig {
  const result = validate(config);
  if (!result.valid) {
    const errors = result.errors.map((e) => ({ pointer: pointer("config") + e.pointer, message: e.message }));
    throw new HttpError(400, "CONFIG_INVALID", `the config is not valid (${errors.length} ${errors.length === 1 ? "error" : "errors"})`, { errors });
  }
  return result.config;
}

/**
 * 201 `{env, version, kid}`; 400 BAD_JSON / CONFIG_INVALID (errors with `/config/...` pointers) /
 * UPSTREAM_NOT_ALLOWED (a key secret sent where ROUTER_UPSTREAMS does not allow it, with the
 * variant's pointer: `/config/...`, or into the payload of a pre-signed config) / a verification code (SIGNATURE_INVALID, UNKNOWN_KID, WRONG_ENV, EXPIRED…); 409
 * VERSION_CONFLICT (with `latest`, the version it lost to) for a pre-signed version not above the
 * latest or already taken; 501 NO_SIGNING_KEY.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/configs/production -H "Authorization: Bearer $TOKEN" \
 *   -H 'Content-Type: application/jose' --data-binary @flags.jws
 */
export async function publishConfig(request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  const name = envName(params.env);
  const input = await readInput(request);
  const change = { actor: actorOf(caller), reason: input.reason, action: "publish" as const };
  let published: Published;
  if (input.jws !== undefined) {
    const { jws, version, kid, config } = await verify(env, name, input.jws, input.where ?? "");
    // Pointers into the signed config's payload: the JWS itself is one string.
    refuseForeignUpstreams(env, config, "");
    published = await applied(writerOf(env, name).publishSigned(name, { jws, version, kid }, change));
  } else {
    if ((await signingKey(env)) === undefined) throw noSigningKey();
    const config = validConfig(input.config);
    refuseForeignUpstreams(env, config, pointer("config"));
    published = await applied(writerOf(env, name).publishContent(name, config, change));
  }
  return json(published, 201, { Location: `/v1/configs/${name}/versions/${published.version}` });
}
