/**
 * `GET /`: what this Worker is and which routes it answers.
 *
 * @module
 */
import { json } from "../lib/http.ts";
import type { Handler, Route } from "../lib/router.ts";

/**
 * A handler listing `routes` (given lazily, as the table includes this handler).
 *
 * @example
 * { method: "GET", path: "/", handler: describeRoutes(() => ROUTES) }
 */
export function describeRoutes(routes: () => readonly Route[]): Handler {
  return () => json({ name: "edgeflag", status: "ok", routes: routes().filter((r) => r.method !== "OPTIONS").map((r) => `${r.method} ${r.path}`) });
}
