/**
 * The edgeflag Worker: the route table (each route names who may call it and its CORS policy),
 * the rules applied before any handler runs, and errors as JSON. Handlers live in src/routes/,
 * storage in src/storage/, the crons in src/scheduled/.
 *
 * @module
 */
import { authorize } from "./lib/auth.ts";
import { checkOrigin, preflight, withCors } from "./lib/cors.ts";
import { consumeDeadLetters, consumeEvents, DEAD_LETTER_QUEUE } from "./events/consume.ts";
import type { EventsMessageBody } from "./events/message.ts";
import { HttpError, toErrorResponse, withoutBody } from "./lib/http.ts";
import { matchRoute, type Match, type Route } from "./lib/router.ts";
import { getEnvs, getMe } from "./routes/admin-envs.ts";
import { getAudit, getHistory } from "./routes/admin-history.ts";
import { killFlag } from "./routes/admin-kill.ts";
import { publishConfig } from "./routes/admin-publish.ts";
import { rollbackConfig } from "./routes/admin-rollback.ts";
import { getRamps, postRampAction } from "./routes/admin-ramps.ts";
import { getRouterKeys, postRouterKey, postRouterKeyRevoke } from "./routes/admin-router-keys.ts";
import { getOfflineRuns, postOfflineRun } from "./routes/admin-offline.ts";
import { getTokens, postRevoke, postToken } from "./routes/admin-tokens.ts";
import { getBucket } from "./routes/bucket.ts";
import { getConfigVersion, getLatestConfig } from "./routes/configs.ts";
import { getLive } from "./routes/live.ts";
import { postEvents } from "./routes/events.ts";
import { routeModel, routerErrorResponse } from "./routes/model-router.ts";
import { getResults } from "./routes/results.ts";
import { getLookHistory } from "./routes/results-looks.ts";
import { getJwks } from "./routes/jwks.ts";
import { getKeySet } from "./routes/key-set.ts";
import { describeRoutes, redirectToApi } from "./routes/root.ts";
import { LOOKS_CRON, recordLooks } from "./scheduled/looks.ts";
import { RAMPS_CRON, watchRamps } from "./scheduled/ramps.ts";
import { renewExpiring } from "./scheduled/renew.ts";
export { ConfigWriter } from "./services/config-writer.ts";

/**
 * Every route. `HEAD` comes with each `GET`, and `OPTIONS` (the preflight) with each CORS policy
 * other than `none`. Experiment results are business data: they take an admin token too, of
 * either role (`read`); changes and tokens take role `admin`. The model router takes a router key
 * and has no CORS: it serves servers, and a router key must never reach a browser. `/` is the
 * dashboard: static files (public/index.html, built by `npm run build`) answer it before the
 * Worker does; without a build the Worker redirects it to `/v1`.
 */
export const ROUTES: readonly Route[] = [
  { method: "GET", path: "/", access: "public", cors: "public", handler: redirectToApi },
  { method: "GET", path: "/v1", access: "public", cors: "public", handler: describeRoutes(() => ROUTES) },
  { method: "GET", path: "/v1/bucket", access: "public", cors: "public", handler: getBucket },
  { method: "GET", path: "/v1/configs/:env", access: "public", cors: "public", handler: getLatestConfig },
  { method: "GET", path: "/v1/configs/:env/versions/:n", access: "public", cors: "public", handler: getConfigVersion },
  { method: "GET", path: "/v1/configs/:env/live", access: "public", cors: "public", handler: getLive },
  { method: "GET", path: "/.well-known/jwks.json", access: "public", cors: "public", handler: getJwks },
  { method: "GET", path: "/.well-known/edgeflag-keys.jws", access: "public", cors: "public", handler: getKeySet },
  { method: "POST", path: "/v1/events", access: "public", cors: "events", handler: postEvents },
  { method: "POST", path: "/v1/chat/completions", access: "router", cors: "none", handler: routeModel },
  { method: "GET", path: "/v1/models", access: "router", cors: "none", handler: routeModel },
  { method: "GET", path: "/v1/results/:env/:flag", access: "read", cors: "none", handler: getResults },
  { method: "GET", path: "/v1/results/:env/:flag/looks", access: "read", cors: "none", handler: getLookHistory },
  { method: "GET", path: "/v1/results/:env/:flag/offline", access: "read", cors: "none", handler: getOfflineRuns },
  { method: "GET", path: "/v1/admin/me", access: "read", cors: "none", handler: getMe },
  { method: "GET", path: "/v1/admin/envs", access: "read", cors: "none", handler: getEnvs },
  { method: "POST", path: "/v1/admin/configs/:env", access: "admin", cors: "none", handler: publishConfig },
  { method: "GET", path: "/v1/admin/configs/:env/history", access: "read", cors: "none", handler: getHistory },
  { method: "POST", path: "/v1/admin/configs/:env/rollback", access: "admin", cors: "none", handler: rollbackConfig },
  { method: "POST", path: "/v1/admin/configs/:env/kill", access: "admin", cors: "none", handler: killFlag },
  { method: "GET", path: "/v1/admin/audit", access: "read", cors: "none", handler: getAudit },
  { method: "GET", path: "/v1/admin/ramps/:env", access: "read", cors: "none", handler: getRamps },
  { method: "POST", path: "/v1/admin/ramps/:env/:flag/:allocation/:action", access: "admin", cors: "none", handler: postRampAction },
  { method: "POST", path: "/v1/admin/offline/:env/:flag", access: "admin", cors: "none", handler: postOfflineRun },
  { method: "GET", path: "/v1/admin/tokens", access: "admin", cors: "none", handler: getTokens },
  { method: "POST", path: "/v1/admin/tokens", access: "admin", cors: "none", handler: postToken },
  { method: "POST", path: "/v1/admin/tokens/:name/revoke", access: "admin", cors: "none", handler: postRevoke },
  { method: "GET", path: "/v1/admin/router-keys", access: "admin", cors: "none", handler: getRouterKeys },
  { method: "POST", path: "/v1/admin/router-keys", access: "admin", cors: "none", handler: postRouterKey },
  { method: "POST", path: "/v1/admin/router-keys/:name/revoke", access: "admin", cors: "none", handler: postRouterKeyRevoke },
];

/** Authorizes, checks the origin, then answers: nothing about a route shows before both pass. */
async function respond(request: Request, env: Env, ctx: ExecutionContext, match: Match, pathname: string): Promise<Response> {
  const caller = await authorize(match.rules.access, request, env);
  checkOrigin(match.rules.cors, request, env);
  switch (match.kind) {
    case "none":
      throw new HttpError(404, "NOT_FOUND", `no route for ${request.method} ${pathname}`);
    case "method":
      throw new HttpError(405, "METHOD_NOT_ALLOWED", `${pathname} answers ${match.allowed.join(", ")}`, { headers: { Allow: match.allowed.join(", ") } });
    case "preflight":
      return preflight(match.rules.cors, match.allowed);
    case "route":
      return match.route.handler(request, env, ctx, match.params(), caller);
  }
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const { pathname } = new URL(request.url);
    const match = matchRoute(ROUTES, request.method, pathname);
    let response: Response;
    try {
      response = await respond(request, env, ctx, match, pathname);
    } catch (e) {
      // The router's callers are OpenAI clients: its errors, 401s included, take OpenAI's shape.
      response = match.rules.access === "router" ? routerErrorResponse(e) : toErrorResponse(e);
    }
    // A WebSocket handshake (101, live push) goes back as it is: CORS does not govern WebSockets.
    if (response.webSocket) return response;
    // A HEAD is answered as its GET, without the body (errors included).
    return withCors(request.method === "HEAD" ? await withoutBody(response) : response, match.rules.cors, request, env);
  },

  /** The crons (wrangler.toml [triggers]): the ramp watcher by RAMPS_CRON, sequential looks by LOOKS_CRON; otherwise renew signed configs before they expire. */
  async scheduled(controller, env, _ctx): Promise<void> {
    if (controller.cron === RAMPS_CRON) return void (await watchRamps(env, controller.scheduledTime));
    if (controller.cron === LOOKS_CRON) return void (await recordLooks(env, controller.scheduledTime));
    const renewed = await renewExpiring(env, controller.scheduledTime);
    for (const r of renewed) console.log(`edgeflag: renewed env ${r.env} as version ${r.version}`);
  },

  /** The EVENTS queue: store each batch in D1 and R2, then acknowledge it; dead letters go to R2. */
  async queue(batch, env, _ctx): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
} satisfies ExportedHandler<Env, EventsMessageBody>;
