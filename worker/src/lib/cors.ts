/**
 * CORS by the route table's `cors` field. `public`: configs and keys are public and signed, so
 * any origin may read them, including the `ETag` a client sends back in `If-None-Match`.
 * `events`: browsers may post events only from the origins in `EVENTS_ALLOWED_ORIGINS`. `none`:
 * no CORS headers at all (the admin API and results are for servers and the CLI).
 *
 * @module
 */
import { HttpError } from "./http.ts";

/** A route's CORS policy. */
export type CorsPolicy = "public" | "events" | "none";

const PUBLIC_HEADERS: Readonly<Record<string, string>> = { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag" };

/** The request headers a preflight allows, per policy: revalidation, and JSON batches. */
const PREFLIGHT_HEADERS: Readonly<Record<Exclude<CorsPolicy, "none">, string>> = { public: "If-None-Match", events: "Content-Type" };

/**
 * The origins allowed to send events (`EVENTS_ALLOWED_ORIGINS`: comma-separated origins, or `*`).
 * Unset or empty allows none from a browser; requests without an Origin (servers) always pass.
 */
function allowedOrigins(env: Env): string[] {
  return (env.EVENTS_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
}

/** The events allowlist's headers, or null when the request's origin is not allowed. */
function eventsCors(request: Request, env: Env): Record<string, string> | null {
  const origin = request.headers.get("Origin");
  if (origin === null) return {};
  const allowed = allowedOrigins(env);
  if (!allowed.includes("*") && !allowed.includes(origin)) return null;
  // The origin is echoed (with `Vary: Origin`), never `*` with credentials. Retry-After is not a
  // safelisted response header: a browser's fetch reads it only when exposed.
  return { "Access-Control-Allow-Origin": allowed.includes("*") ? "*" : origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" };
}

/**
 * The CORS headers of every answer under `policy`, or null when the policy refuses the request's
 * origin (only `events` does).
 */
function corsHeaders(policy: CorsPolicy, request: Request, env: Env): Record<string, string> | null {
  switch (policy) {
    case "public":
      return { ...PUBLIC_HEADERS };
    case "events":
      return eventsCors(request, env);
    case "none":
      return {};
  }
}

/**
 * Throws 403 ORIGIN_NOT_ALLOWED when `policy` refuses the request's origin, before any handler
 * runs (so nothing from a refused origin is stored).
 *
 * @example
 * checkOrigin(match.rules.cors, request, env);
 */
export function checkOrigin(policy: CorsPolicy, request: Request, env: Env): void {
  if (corsHeaders(policy, request, env) !== null) return;
  const message = `origin ${request.headers.get("Origin")} may not send events: add it to EVENTS_ALLOWED_ORIGINS`;
  throw new HttpError(403, "ORIGIN_NOT_ALLOWED", message, { headers: { Vary: "Origin" } });
}

/**
 * The same response with the CORS headers of `policy` (none when the origin was refused).
 *
 * @example
 * return withCors(response, "public", request, env);
 */
export function withCors(response: Response, policy: CorsPolicy, request: Request, env: Env): Response {
  const headers = corsHeaders(policy, request, env);
  if (headers === null || Object.keys(headers).length === 0) return response;
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}

/**
 * The answer to a CORS preflight of a path whose routes have `policy` (not `none`): the methods
 * the path allows, the request headers its clients send, cached for a day.
 *
 * @example
 * preflight("public", ["GET", "HEAD", "OPTIONS"]); // 204
 */
export function preflight(policy: Exclude<CorsPolicy, "none">, allowed: readonly string[]): Response {
  return new Response(null, {
    status: 204,
    headers: { "Access-Control-Allow-Methods": allowed.join(", "), "Access-Control-Allow-Headers": PREFLIGHT_HEADERS[policy], "Access-Control-Max-Age": "86400" },
  });
}
