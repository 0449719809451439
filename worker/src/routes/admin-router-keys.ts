/**
 * `/v1/admin/router-keys`: the API keys of the OpenAI-compatible routes (`POST
 * /v1/chat/completions`, `GET /v1/models`), one per app, each scoped to one env. Made, listed and
 * revoked by a caller of role `admin`; the key itself is answered once, at creation.
 *
 * @module
 */
import { readJsonObject, requiredString } from "../lib/body.ts";
import type { Caller } from "../lib/auth.ts";
import { HttpError, json } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { createRouterKey, listRouterKeys, revokeRouterKey } from "../storage/router-keys.ts";

/** An app's name. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

function keyName(value: string | undefined): string {
  if (value === undefined || !KEY_NAME.test(value)) throw new HttpError(400, "INVALID_NAME", "a router key name is 1 to 64 of A-Z a-z 0-9 . _ @ + -, starting with a letter or digit", { pointer: "/name" });
  return value;
}

/**
 * 201 `{name, env, key, createdAt, createdBy}`: the only answer that holds the key; 400 naming
 * `/name` or `/env`; 409 ROUTER_KEY_EXISTS.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/router-keys -H "Authorization: Bearer $TOKEN" -d '{"name": "app", "env": "production"}'
 */
export async function postRouterKey(request: Request, env: Env, _ctx: ExecutionContext, _params: Params, caller: Caller | null): Promise<Response> {
  const body = await readJsonObject(request);
  const input = { name: keyName(requiredString(body, "name")), env: envName(requiredString(body, "env")), createdBy: actorOf(caller) };
  return json(await createRouterKey(env.DB, input), 201, { "Cache-Control": "no-store" });
}

/**
 * 200 `{keys: [{name, env, createdAt, createdBy, revokedAt?, revokedBy?}…]}`: live keys first;
 * never a key or its hash.
 *
 * @example
 * curl https://flags.example.com/v1/admin/router-keys -H "Authorization: Bearer $TOKEN"
 */
export async function getRouterKeys(_request: Request, env: Env): Promise<Response> {
  return json({ keys: await listRouterKeys(env.DB) });
}

/**
 * 200 `{name, env, createdAt, createdBy, revokedAt, revokedBy}`; 404 ROUTER_KEY_NOT_FOUND. The
 * key stops working at the next request.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/router-keys/app/revoke -H "Authorization: Bearer $TOKEN"
 */
export async function postRouterKeyRevoke(_request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  return json(await revokeRouterKey(env.DB, keyName(params.name), actorOf(caller)));
}
