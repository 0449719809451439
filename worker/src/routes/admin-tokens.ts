/**
 * `/v1/admin/tokens`: named admin tokens, one per person or system, so the audit log names who
 * made each change. Made, listed and revoked by a caller of role `admin` (the bootstrap
 * ADMIN_TOKEN, or a named admin token); the token itself is answered once, at creation.
 *
 * @module
 */
import { optionalString, readJsonObject, requiredString } from "../lib/body.ts";
import { BOOTSTRAP_NAME, type Caller } from "../lib/auth.ts";
import { HttpError, json } from "../lib/http.ts";
import type { Params } from "../lib/router.ts";
import { actorOf } from "../lib/version-record.ts";
import { createToken, listTokens, revokeToken, type Role } from "../storage/admin-tokens.ts";

/** A person's or a system's name: an email fits. */
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
/** Names the Worker records itself (the bootstrap, the crons, records from before tokens). */
const RESERVED = /^(bootstrap|admin-api|unknown|edgeflag-.*)$/i;

function tokenName(value: string | undefined): string {
  if (value === undefined || !TOKEN_NAME.test(value)) throw new HttpError(400, "INVALID_NAME", "a token name is 1 to 64 of A-Z a-z 0-9 . _ @ + -, starting with a letter or digit", { pointer: "/name" });
  return value;
}

function role(value: string | undefined): Role {
  if (value === undefined || value === "admin" || value === "read") return value ?? "admin";
  throw new HttpError(400, "INVALID_ROLE", 'role is "admin" (every admin route) or "read" (results, history and audit only)', { pointer: "/role" });
}

/**
 * 201 `{name, role, token, createdAt, createdBy}`: the only answer that holds the token; 400
 * naming `/name` or `/role`; 409 TOKEN_EXISTS.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/tokens -H "Authorization: Bearer $TOKEN" -d '{"name": "ana", "role": "read"}'
 */
export async function postToken(request: Request, env: Env, _ctx: ExecutionContext, _params: Params, caller: Caller | null): Promise<Response> {
  const body = await readJsonObject(request);
  const name = tokenName(requiredString(body, "name"));
  if (RESERVED.test(name)) throw new HttpError(400, "RESERVED_NAME", `"${name}" is reserved (${BOOTSTRAP_NAME} is ADMIN_TOKEN; admin-api, unknown and edgeflag-* are the Worker's own)`, { pointer: "/name" });
  const input = { name, role: role(optionalString(body, "role")), createdBy: actorOf(caller) };
  return json(await createToken(env.DB, input), 201, { "Cache-Control": "no-store" });
}

/**
 * 200 `{tokens: [{name, role, createdAt, createdBy, revokedAt?, revokedBy?}…]}`: live tokens
 * first, then revoked ones; never a token or its hash.
 *
 * @example
 * curl https://flags.example.com/v1/admin/tokens -H "Authorization: Bearer $TOKEN"
 */
export async function getTokens(_request: Request, env: Env): Promise<Response> {
  return json({ tokens: await listTokens(env.DB) });
}

/**
 * 200 `{name, role, createdAt, createdBy, revokedAt, revokedBy}`; 404 TOKEN_NOT_FOUND when no live
 * token has that name. The token stops working at the next request.
 *
 * @example
 * curl -X POST https://flags.example.com/v1/admin/tokens/ana/revoke -H "Authorization: Bearer $TOKEN"
 */
export async function postRevoke(_request: Request, env: Env, _ctx: ExecutionContext, params: Params, caller: Caller | null): Promise<Response> {
  return json(await revokeToken(env.DB, tokenName(params.name), actorOf(caller)));
}
