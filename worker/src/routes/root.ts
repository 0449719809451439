/**
 * `GET /v1`: what this Worker is, and every route with who may call it and its CORS policy.
 * `GET /` answers `302 Found` to `/v1` until the dashboard takes `/` over (a temporary redirect,
 * so browsers and caches keep asking `/`).
 *
 * @module
 */
import { json } from "../lib/http.ts";
import type { Handler, Route } from "../lib/router.ts";

/**
 * A handler listing `routes` (given lazily, as the table includes this handler).
 *
 * @example
 * { method: "GET", path: "/v1", access: "public", cors: "public", handler: describeRoutes(() => ROUTES) }
 */
export function describeRoutes(routes: () => readonly Route[]): Handler {
  return () => json({ name: "edgeflag", status: "ok", routes: routes().map(({ method, path, access, cors }) => ({ method, path, access, cors })) });
}

/**
 * `GET /`: a temporary redirect to the API's index, with a JSON body saying where it points.
 *
 * @example
 * { method: "GET", path: "/", access: "public", cors: "public", handler: redirectToApi }
 */
export const redirectToApi: Handler = () => json({ api: "/v1" }, 302, { Location: "/v1", "Cache-Control": "no-store" });
