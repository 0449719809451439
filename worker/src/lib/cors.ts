/**
 * CORS for the public routes: configs and keys are public and signed, so any origin may read them,
 * including the `ETag` a client sends back in `If-None-Match`.
 *
 * @module
 */

const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag",
};

/**
 * The same response with the CORS headers of a public route.
 *
 * @example
 * return withCors(await handler(request, env, ctx, params));
 */
export function withCors(response: Response): Response {
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(CORS_HEADERS)) out.headers.set(name, value);
  return out;
}

/**
 * The answer to a CORS preflight of a public GET route (a client revalidating with `If-None-Match`).
 *
 * @example
 * { method: "OPTIONS", path: "/v1/configs/:env", handler: preflight }
 */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "Access-Control-Allow-Methods": "GET, OPTIONS",
      "Access-Control-Allow-Headers": "If-None-Match",
      "Access-Control-Max-Age": "86400",
    },
  });
}

/**
 * The origins allowed to send events (`EVENTS_ALLOWED_ORIGINS`: comma-separated origins, or `*`).
 * Unset or empty allows none from a browser; requests without an Origin (servers) always pass.
 */
function allowedOrigins(env: Env): string[] {
  return (env.EVENTS_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
}

/**
 * The CORS headers of an events answer, or null when the request's origin is not allowed.
 * The origin is echoed (with `Vary: Origin`), never `*` with credentials.
 *
 * @example
 * const cors = eventsCors(request, env); if (cors === null) throw new HttpError(403, …);
 */
export function eventsCors(request: Request, env: Env): Record<string, string> | null {
  const origin = request.headers.get("Origin");
  if (origin === null) return {};
  const allowed = allowedOrigins(env);
  if (!allowed.includes("*") && !allowed.includes(origin)) return null;
  // Retry-After is not a safelisted response header: a browser's fetch reads it only when exposed.
  return { "Access-Control-Allow-Origin": allowed.includes("*") ? "*" : origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" };
}

/**
 * The answer to a CORS preflight of `POST /v1/events` (a `fetch` with `application/json`; beacons
 * send `text/plain` and need none). 403 for an origin not on the allowlist.
 *
 * @example
 * { method: "OPTIONS", path: "/v1/events", handler: eventsPreflight }
 */
export function eventsPreflight(request: Request, env: Env): Response {
  const cors = eventsCors(request, env);
  if (cors === null) return new Response(null, { status: 403, headers: { Vary: "Origin" } });
  return new Response(null, {
    status: 204,
    headers: { ...cors, "Access-Control-Allow-Methods": "POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "86400" },
  });
}
