/**
 * The route table's types and matcher. Each route says who may call it (`access`) and which CORS
 * headers its answers carry (`cors`); src/index.ts enforces both, so no path list lives beside
 * the table. `HEAD` is answered by every `GET` route and `OPTIONS` (a CORS preflight) by every
 * route with a CORS policy: neither is written in the table.
 *
 * @module
 */
import { weakestAccess, type Access, type Caller } from "./auth.ts";
import type { CorsPolicy } from "./cors.ts";
import { HttpError } from "./http.ts";

/** Path parameters by name, already percent-decoded. */
export type Params = Readonly<Record<string, string>>;

/**
 * A route handler: the request, the bindings, the context, the path parameters, and who called
 * (the admin token's caller on `read` and `admin` routes, null on public ones).
 */
export type Handler = (request: Request, env: Env, ctx: ExecutionContext, params: Params, caller: Caller | null) => Response | Promise<Response>;

/** Who may call a route and how browsers may read it. */
export interface Rules {
  access: Access;
  cors: CorsPolicy;
}

/** One line of the route table. */
export interface Route extends Rules {
  method: "GET" | "POST";
  /** `/v1/configs/:env` style: `:name` matches one non-empty segment. */
  path: string;
  handler: Handler;
}

/**
 * What a request found, with the rules to apply before anything about it is revealed:
 * a route (its parameters decoded only on demand, once the caller is authorized), a preflight,
 * a path that answers other methods, or nothing.
 */
export type Match =
  | { kind: "route"; route: Route; rules: Rules; params: () => Params }
  | { kind: "preflight"; rules: { access: Access; cors: Exclude<CorsPolicy, "none"> }; allowed: string[] }
  | { kind: "method"; rules: Rules; allowed: string[] }
  | { kind: "none"; rules: Rules };

/** The rules of a path no route claims. */
const OPEN: Rules = { access: "public", cors: "public" };

function decode(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "BAD_PATH", `the ${name} in the path is not valid percent-encoding`, { pointer: `/${name}` });
  }
}

/** The raw parameters when `pathname` matches `pattern` over the first `depth` segments (all by default). */
function matchPath(pattern: string, pathname: string, depth = Infinity): Array<[string, string]> | null {
  const want = pattern.split("/").slice(0, depth + 1);
  const got = pathname.split("/").slice(0, depth + 1);
  if (want.length !== got.length) return null;
  const raw: Array<[string, string]> = [];
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":") ? g === "" : w !== g) return null;
    if (w.startsWith(":")) raw.push([w.slice(1), g]);
  }
  return raw;
}

/**
 * The rules of a path's namespace (its first two segments, e.g. `/v1/admin`) when every route
 * there shares its CORS policy, with the weakest of their access rules: a request under
 * `/v1/admin/` needs an admin token even when no route matches, so an unknown admin path is a
 * 401 before it is a 404. Otherwise a miss is public.
 */
function rulesOfNamespace(routes: readonly Route[], pathname: string): Rules {
  const near = routes.filter((r) => matchPath(r.path, pathname, 2) !== null);
  const first = near[0];
  if (first === undefined || near.some((r) => r.cors !== first.cors)) return OPEN;
  return { access: weakestAccess(near.map((r) => r.access)), cors: first.cors };
}

/**
 * The methods a path's routes answer, as `Allow` lists them: the table's, `HEAD` after `GET`,
 * and `OPTIONS` when the path has a CORS policy.
 */
function allowedMethods(routes: readonly Route[]): string[] {
  const methods = routes.flatMap((r) => (r.method === "GET" ? ["GET", "HEAD"] : [r.method]));
  if (routes.some((r) => r.cors !== "none")) methods.push("OPTIONS");
  return [...new Set(methods)];
}

/**
 * Finds what a method and path match. Routes that share a path share their rules (a test of the
 * table checks it), so a 405 or a preflight takes them from the first.
 *
 * @example
 * const m = matchRoute(ROUTES, "HEAD", "/v1/configs/production");
 * if (m.kind === "route") return m.route.handler(request, env, ctx, m.params());
 */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): Match {
  const here: Array<{ route: Route; raw: Array<[string, string]> }> = [];
  for (const route of routes) {
    const raw = matchPath(route.path, pathname);
    if (raw !== null) here.push({ route, raw });
  }
  const first = here[0];
  if (first === undefined) return { kind: "none", rules: rulesOfNamespace(routes, pathname) };
  const rules: Rules = { access: first.route.access, cors: first.route.cors };
  const wanted = method === "HEAD" ? "GET" : method;
  const hit = here.find((h) => h.route.method === wanted);
  // Decode only once the caller may see the route, so a bad escape never hides a 401 or a 404.
  if (hit !== undefined) {
    const { access, cors } = hit.route;
    return { kind: "route", route: hit.route, rules: { access, cors }, params: () => Object.fromEntries(hit.raw.map(([name, value]) => [name, decode(value, name)])) };
  }
  const allowed = allowedMethods(here.map((h) => h.route));
  const { access, cors } = rules;
  return method === "OPTIONS" && cors !== "none" ? { kind: "preflight", rules: { access, cors }, allowed } : { kind: "method", rules, allowed };
}
