/**
 * The route matcher behind src/index.ts's table: `/v1/configs/:env` style paths, decoded
 * parameters, and which methods a path allows (for 405 answers).
 *
 * @module
 */
import { HttpError } from "./http.ts";

/** Path parameters by name, already percent-decoded. */
export type Params = Readonly<Record<string, string>>;

/** A route handler: the request, the bindings, the context and the path parameters. */
export type Handler = (request: Request, env: Env, ctx: ExecutionContext, params: Params) => Response | Promise<Response>;

/** One line of the route table. */
export interface Route {
  method: "GET" | "POST" | "OPTIONS";
  path: string;
  handler: Handler;
}

/** What a path and method matched: a handler, only other methods, or nothing. */
export type Match = { handler: Handler; params: Params } | { allowed: string[] } | null;

function decode(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "BAD_PATH", `the ${name} in the path is not valid percent-encoding`, { pointer: `/${name}` });
  }
}

function matchPath(pattern: string, pathname: string): Params | null {
  const want = pattern.split("/");
  const got = pathname.split("/");
  if (want.length !== got.length) return null;
  const raw: Array<[string, string]> = [];
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":") ? g === "" : w !== g) return null;
    if (w.startsWith(":")) raw.push([w.slice(1), g]);
  }
  // Decode only once the whole path matched, so a bad escape never hides a 404.
  return Object.fromEntries(raw.map(([name, value]) => [name, decode(value, name)]));
}

/**
 * Finds the route for a method and path.
 *
 * @example
 * const m = matchRoute(ROUTES, "GET", "/v1/configs/production");
 * if (m && "handler" in m) return m.handler(request, env, ctx, m.params);
 */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): Match {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params === null) continue;
    if (route.method === method) return { handler: route.handler, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : null;
}
