/**
 * Who may call a route: anyone (`public`), any admin token (`read`: the GET routes of results,
 * history and audit), an admin token of role `admin` (`admin`: every change, and tokens), or a
 * router key (`router`: the OpenAI-compatible routes; src/storage/router-keys.ts), never an admin
 * token, whose failures answer in OpenAI's error shape (src/index.ts).
 *
 * An admin token is either the `ADMIN_TOKEN` secret (the bootstrap, caller "bootstrap", role
 * admin) or a named token made through `/v1/admin/tokens` (src/storage/admin-tokens.ts); a
 * request without an Authorization header may instead carry a Cloudflare Access JWT
 * (src/lib/access.ts). The caller's name is what the audit log records. Both are compared in constant time; an unknown,
 * revoked or wrong token gets the same 401, so no answer says whether a name or id exists.
 *
 * @module
 */
import { accessCaller } from "./access.ts";
import { HttpError } from "./http.ts";
import { secret } from "./secrets.ts";
import { findToken, type Role } from "../storage/admin-tokens.ts";
import { findRouterKey } from "../storage/router-keys.ts";
import { sha256 } from "../storage/credentials.ts";

/** A route's access rule (the route table's `access` field). */
export type Access = "public" | "read" | "admin" | "router";

/**
 * Who called: on admin routes the token's name (the actor of the audit log) and its role; on
 * router routes the router key's name and the one env it routes by.
 */
export type Caller = { name: string; role: Role } | { name: string; role: "router"; env: string };

/** The name the bootstrap token (ADMIN_TOKEN) is recorded under; no named token may take it. */
export const BOOTSTRAP_NAME = "bootstrap";

function unauthorized(message: string, challenge: string): HttpError {
  return new HttpError(401, "UNAUTHORIZED", message, { headers: { "WWW-Authenticate": challenge } });
}

/** The bearer token of a request; 401 when the header is missing or of another scheme. */
function bearer(request: Request): string {
  const header = request.headers.get("Authorization");
  if (header === null) throw unauthorized("send Authorization: Bearer <admin token>", "Bearer");
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (match === null) throw unauthorized("the Authorization header must use the Bearer scheme", "Bearer");
  return match[1]!;
}

/**
 * The caller holding `Authorization: Bearer <token>`, a named token or the bootstrap, or else a
 * verified Cloudflare Access JWT: 401 when the header is missing, of another scheme, or the token
 * is wrong, unknown or revoked; 503 when no ADMIN_TOKEN is configured (the admin API is never open).
 *
 * @example
 * const caller = await requireCaller(request, env); // { name: "ana", role: "admin" }
 */
export async function requireCaller(request: Request, env: Env): Promise<Caller> {
  const bootstrap = secret(env, "ADMIN_TOKEN");
  if (bootstrap === undefined) {
    throw new HttpError(503, "ADMIN_DISABLED", "the admin API is off: no ADMIN_TOKEN is configured (set it with `wrangler secret put ADMIN_TOKEN`, or in .dev.vars locally)");
  }
  if (request.headers.get("Authorization") === null) {
    const access = await accessCaller(request, env);
    if (access !== null) return access;
  }
  const given = bearer(request);
  // Hashing both sides first makes the comparison independent of the token's length and content.
  const [a, b] = await Promise.all([sha256(given), sha256(bootstrap)]);
  if (crypto.subtle.timingSafeEqual(a, b)) return { name: BOOTSTRAP_NAME, role: "admin" };
  const named = await findToken(env.DB, given);
  if (named !== null) return named;
  throw unauthorized("the admin token is wrong", 'Bearer error="invalid_token"');
}

/**
 * The weakest rule among `accesses`, for a path no route claims in a namespace they share: a
 * namespace of `read` and `admin` routes asks for any admin token; anything mixed with `public`
 * or `router` is public.
 *
 * @example
 * weakestAccess(["read", "admin"]) === "read"
 */
export function weakestAccess(accesses: readonly Access[]): Access {
  const kinds = new Set(accesses);
  if (kinds.size === 1) return accesses[0]!;
  return [...kinds].every((a) => a === "read" || a === "admin") ? "read" : "public";
}

/**
 * The router key a request holds (`Authorization: Bearer efr1.…`, which is what OpenAI clients
 * send as their API key): 401 invalid_api_key for a missing, malformed, unknown or revoked key,
 * and for an admin token (an admin token is not a router key).
 *
 * @example
 * const key = await requireRouterKey(request, env); // { name: "app", role: "router", env: "production" }
 */
export async function requireRouterKey(request: Request, env: Env): Promise<Caller> {
  const refuse = (message: string) => new HttpError(401, "invalid_api_key", message, { headers: { "WWW-Authenticate": 'Bearer realm="edgeflag router"' } });
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.get("Authorization") ?? "");
  if (match === null) throw refuse("send a router key as Authorization: Bearer <key> (the OpenAI client's apiKey); make one with `edgeflag router-keys create`");
  const key = await findRouterKey(env.DB, match[1]!);
  if (key === null) throw refuse("the router key is wrong, unknown or revoked");
  return { name: key.name, role: "router", env: key.env };
}

/**
 * The caller, once the request may call a route with this access rule (null for `public`):
 * 401/503 as `requireCaller`, 403 FORBIDDEN for a `read` token on an `admin` route, 401 as
 * `requireRouterKey` on `router` routes.
 *
 * @example
 * const caller = await authorize(match.rules.access, request, env);
 */
export async function authorize(access: Access, request: Request, env: Env): Promise<Caller | null> {
  switch (access) {
    case "public":
      return null;
    case "read":
      return requireCaller(request, env);
    case "admin": {
      const caller = await requireCaller(request, env);
      if (caller.role !== "admin") throw new HttpError(403, "FORBIDDEN", `the token "${caller.name}" may only read (role read); this route needs role admin`);
      return caller;
    }
    case "router":
      return requireRouterKey(request, env);
  }
}
