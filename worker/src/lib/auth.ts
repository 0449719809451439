/**
 * Who may call a route: anyone (`public`), the holder of the admin bearer token (`admin`), or a
 * router key (`router`, for the OpenAI-compatible routes; no route uses it yet). The admin token
 * is compared in constant time: both sides are hashed with SHA-256 first, so the comparison never
 * depends on the token's length or content.
 *
 * @module
 */
import { HttpError } from "./http.ts";
import { secret } from "./secrets.ts";

const encoder = new TextEncoder();
const sha256 = async (text: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

/** A route's access rule (the route table's `access` field). */
export type Access = "public" | "admin" | "router";

function unauthorized(message: string, challenge: string): HttpError {
  return new HttpError(401, "UNAUTHORIZED", message, { headers: { "WWW-Authenticate": challenge } });
}

/**
 * Throws unless the request carries `Authorization: Bearer <ADMIN_TOKEN>`: 401 when the header
 * is missing, of another scheme or wrong; 503 when no ADMIN_TOKEN is configured (never open).
 *
 * @example
 * await requireAdmin(request, env); // before anything about an admin route is revealed
 */
export async function requireAdmin(request: Request, env: Env): Promise<void> {
  const expected = secret(env, "ADMIN_TOKEN");
  if (expected === undefined) {
    throw new HttpError(503, "ADMIN_DISABLED", "the admin API is off: no ADMIN_TOKEN is configured (set it with `wrangler secret put ADMIN_TOKEN`, or in .dev.vars locally)");
  }
  const header = request.headers.get("Authorization");
  if (header === null) throw unauthorized("send Authorization: Bearer <admin token>", "Bearer");
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (match === null) throw unauthorized("the Authorization header must use the Bearer scheme", "Bearer");
  const [given, wanted] = await Promise.all([sha256(match[1]!), sha256(expected)]);
  if (!crypto.subtle.timingSafeEqual(given, wanted)) throw unauthorized("the admin token is wrong", 'Bearer error="invalid_token"');
}

/**
 * Throws unless the request may call a route with this access rule. `router` fails closed with
 * 503 ROUTER_KEYS_DISABLED: this Worker issues no router keys yet, so nobody can hold one.
 *
 * @example
 * await authorize(match.rules.access, request, env);
 */
export async function authorize(access: Access, request: Request, env: Env): Promise<void> {
  switch (access) {
    case "public":
      return;
    case "admin":
      return requireAdmin(request, env);
    case "router":
      throw new HttpError(503, "ROUTER_KEYS_DISABLED", "this route takes a router key, and this Worker has none configured");
  }
}
