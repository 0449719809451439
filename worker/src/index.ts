/**
 * The edgeflag Worker: the route table, admin authentication, CORS for the public routes, and
 * errors as JSON. Handlers live in src/routes/, storage in src/storage/.
 *
 * @module
 */
import { requireAdmin } from "./lib/auth.ts";
import { eventsPreflight, preflight, withCors } from "./lib/cors.ts";
import { consumeDeadLetters, consumeEvents, DEAD_LETTER_QUEUE } from "./events/consume.ts";
import type { EventsMessageBody } from "./events/message.ts";
import { errorResponse, toErrorResponse } from "./lib/http.ts";
import { matchRoute, type Route } from "./lib/router.ts";
import { getAudit, getHistory } from "./routes/admin-history.ts";
import { killFlag } from "./routes/admin-kill.ts";
import { publishConfig } from "./routes/admin-publish.ts";
import { rollbackConfig } from "./routes/admin-rollback.ts";
import { getBucket } from "./routes/bucket.ts";
import { getConfigVersion, getLatestConfig } from "./routes/configs.ts";
import { postEvents } from "./routes/events.ts";
import { getResults } from "./routes/results.ts";
import { getJwks } from "./routes/jwks.ts";
import { describeRoutes } from "./routes/root.ts";
import { renewExpiring } from "./scheduled/renew.ts";
export { ConfigWriter } from "./services/config-writer.ts";

const ADMIN_PREFIX = "/v1/admin/";
/** Experiment results are business data: they take the admin token too. */
const RESULTS_PREFIX = "/v1/results/";
/** Routes that set their own CORS headers (an allowlist, not `*`). */
const OWN_CORS = new Set(["/v1/events"]);

/** Every route. Paths under /v1/admin/ need the admin bearer token; the others are public (CORS). */
const ROUTES: readonly Route[] = [
  { method: "GET", path: "/", handler: describeRoutes(() => ROUTES) },
  { method: "GET", path: "/v1/bucket", handler: getBucket },
  { method: "GET", path: "/v1/configs/:env", handler: getLatestConfig },
  { method: "OPTIONS", path: "/v1/configs/:env", handler: preflight },
  { method: "GET", path: "/v1/configs/:env/versions/:n", handler: getConfigVersion },
  { method: "OPTIONS", path: "/v1/configs/:env/versions/:n", handler: preflight },
  { method: "GET", path: "/.well-known/jwks.json", handler: getJwks },
  { method: "OPTIONS", path: "/.well-known/jwks.json", handler: preflight },
  { method: "POST", path: "/v1/events", handler: postEvents },
  { method: "OPTIONS", path: "/v1/events", handler: eventsPreflight },
  { method: "GET", path: "/v1/results/:env/:flag", handler: getResults },
  { method: "POST", path: "/v1/admin/configs/:env", handler: publishConfig },
  { method: "GET", path: "/v1/admin/configs/:env/history", handler: getHistory },
  { method: "POST", path: "/v1/admin/configs/:env/rollback", handler: rollbackConfig },
  { method: "POST", path: "/v1/admin/configs/:env/kill", handler: killFlag },
  { method: "GET", path: "/v1/admin/audit", handler: getAudit },
];

async function route(request: Request, env: Env, ctx: ExecutionContext, pathname: string): Promise<Response> {
  // Authenticate before matching, so the admin API reveals nothing, not even its routes.
  if (pathname.startsWith(ADMIN_PREFIX) || pathname.startsWith(RESULTS_PREFIX)) await requireAdmin(request, env);
  const match = matchRoute(ROUTES, request.method, pathname);
  if (match === null) return errorResponse(404, { code: "NOT_FOUND", message: `no route for ${request.method} ${pathname}` });
  if ("allowed" in match) {
    return errorResponse(405, { code: "METHOD_NOT_ALLOWED", message: `${pathname} answers ${match.allowed.join(", ")}` }, { Allow: match.allowed.join(", ") });
  }
  return match.handler(request, env, ctx, match.params);
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const { pathname } = new URL(request.url);
    let response: Response;
    try {
      response = await route(request, env, ctx, pathname);
    } catch (e) {
      response = toErrorResponse(e);
    }
    return pathname.startsWith(ADMIN_PREFIX) || pathname.startsWith(RESULTS_PREFIX) || OWN_CORS.has(pathname) ? response : withCors(response);
  },

  /** The cron (wrangler.toml [triggers]): renew signed configs before they expire. */
  async scheduled(controller, env, _ctx): Promise<void> {
    const renewed = await renewExpiring(env, controller.scheduledTime);
    for (const r of renewed) console.log(`edgeflag: renewed env ${r.env} as version ${r.version}`);
  },

  /** The EVENTS queue: store each batch in D1 and R2, then acknowledge it; dead letters go to R2. */
  async queue(batch, env, _ctx): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
} satisfies ExportedHandler<Env, EventsMessageBody>;
