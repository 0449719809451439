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
