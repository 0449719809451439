/**
 * The built-in model router: `POST /v1/chat/completions` and `GET /v1/models` answered by
 * `createRouter` (@edgeflag/sdk/router, the same code users run in their own Workers) for the
 * env of the caller's router key. The Worker plugs in what only it has: the key (checked by the
 * route table's `router` access rule), the optional rate limits (ROUTER_KEY_LIMIT per key,
 * ROUTER_SUBJECT_LIMIT per subject), its trusted keys, ROUTER_UPSTREAMS and the upstream secrets.
 * Every error answers in OpenAI's shape.
 *
 * @module
 */
import { createRouter, errorResponseOf, openAIError, type Router } from "@edgeflag/sdk/router";
import type { Caller } from "../lib/auth.ts";
import { HttpError } from "../lib/http.ts";
import { publicKeys } from "../lib/keys.ts";
import type { Params } from "../lib/router.ts";
import { allowedUpstreams, upstreamSecret } from "../lib/upstreams.ts";

/** The period of both rate limits in wrangler.toml, in seconds: what Retry-After says. */
const RATE_PERIOD_S = 60;

/** One router per env per isolate (its client keeps the verified config and the exposure cache). */
const routers = new WeakMap<Env, Map<string, Router>>();

const TYPES: Record<number, string> = { 401: "invalid_request_error", 403: "permission_error", 404: "invalid_request_error", 429: "rate_limit_error" };

/**
 * Anything thrown on a router route, in OpenAI's shape: an HttpError keeps its status, message
 * and headers, its code lowercased, its pointer's first field as `param`.
 *
 * @example
 * return routerErrorResponse(new HttpError(401, "invalid_api_key", "…"));
 */
export function routerErrorResponse(e: unknown): Response {
  if (!(e instanceof HttpError)) return errorResponseOf(e);
  const type = TYPES[e.status] ?? (e.status >= 500 ? "api_error" : "invalid_request_error");
  const param = e.pointer === undefined ? null : (e.pointer.split("/")[1] ?? null);
  return openAIError(e.status, { message: e.message, type, param, code: e.code.toLowerCase() }, e.headers);
}

/** 429 when `binding` (absent: no limit) refuses one more request for `key`. */
async function limited(binding: RateLimit | undefined, key: string, what: string): Promise<Response | null> {
  if (binding === undefined || (await binding.limit({ key })).success) return null;
  return openAIError(429, { message: `rate limit reached for this ${what}; try again in ${RATE_PERIOD_S} s`, type: "rate_limit_error", param: null, code: "rate_limit_exceeded" }, { "Retry-After": String(RATE_PERIOD_S) });
}

async function routerFor(env: Env, name: string): Promise<Router> {
  let byEnv = routers.get(env);
  if (byEnv === undefined) routers.set(env, (byEnv = new Map()));
  let router = byEnv.get(name);
  if (router === undefined) {
    const optional = env as Partial<Pick<Env, "ROUTER_SUBJECT_LIMIT">>;
    router = createRouter({
      env: name,
      trust: { keys: await publicKeys(env) },
      kv: env.FLAGS,
      queue: env.EVENTS,
      secret: (secretName) => upstreamSecret(env, secretName),
      upstreams: allowedUpstreams(env),
      admit: ({ subject }) => limited(optional.ROUTER_SUBJECT_LIMIT, `${name}\u0000${subject}`, "subject"),
    });
    byEnv.set(name, router);
  }
  return router;
}

/**
 * Routes one call for the router key's env; 429 when the key is over its limit.
 *
 * @example
 * { method: "POST", path: "/v1/chat/completions", access: "router", cors: "none", handler: routeModel }
 */
export async function routeModel(request: Request, env: Env, ctx: ExecutionContext, _params: Params, caller: Caller | null): Promise<Response> {
  if (caller?.role !== "router") throw new Error("a model route without a router key: its access rule must be router");
  const optional = env as Partial<Pick<Env, "ROUTER_KEY_LIMIT">>;
  const refused = await limited(optional.ROUTER_KEY_LIMIT, caller.name, "router key");
  if (refused) return refused;
  return (await routerFor(env, caller.env)).fetch(request, ctx);
}
