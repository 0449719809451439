// The route table inside workerd: every route's access rule and CORS policy as declared, HEAD on
// every GET route, the Allow lists of 405s and preflights, and the bucket route's answers. The
// table is iterated, so a new route is covered by these tests as soon as it is added.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, test } from "vitest";
import { bucket, hashSubject } from "@edgeflag/sdk/core";
import { ROUTES } from "../src/index.ts";
import { authorize } from "../src/lib/auth.ts";
import { HttpError } from "../src/lib/http.ts";
import type { Route } from "../src/lib/router.ts";
import { ADMIN_TOKEN, call, errorOf, makeRouterKey, publish } from "./helpers.ts";

const E = "routes-env";
const ALLOWED_ORIGIN = "https://app.example.com";
const BEARER = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Values for the path parameters, and the query a route needs to answer 200. */
const PARAMS: Record<string, string> = { env: E, n: "1", flag: "chat-model", name: "routes-nobody", allocation: "ramp", action: "pause" };
const QUERY: Record<string, string> = { "/v1/bucket": "?salt=s&subject=u", "/v1/admin/audit": `?env=${E}` };
/** A GET that answers an error even when all is well: live push wants a WebSocket (worker/test/live.test.ts connects). */
const PLAIN_GET_STATUS: Record<string, number> = { "/v1/configs/:env/live": 426 };

/** What each path answers, as `Allow` says: every path of the table must be listed here. */
const ALLOW: Record<string, string> = {
  "/": "GET, HEAD, OPTIONS",
  "/v1": "GET, HEAD, OPTIONS",
  "/v1/bucket": "GET, HEAD, OPTIONS",
  "/v1/configs/:env": "GET, HEAD, OPTIONS",
  "/v1/configs/:env/versions/:n": "GET, HEAD, OPTIONS",
  "/v1/configs/:env/live": "GET, HEAD, OPTIONS",
  "/.well-known/jwks.json": "GET, HEAD, OPTIONS",
  "/.well-known/edgeflag-keys.jws": "GET, HEAD, OPTIONS",
  "/v1/events": "POST, OPTIONS",
  "/v1/results/:env/:flag": "GET, HEAD",
  "/v1/results/:env/:flag/looks": "GET, HEAD",
  "/v1/admin/me": "GET, HEAD",
  "/v1/admin/envs": "GET, HEAD",
  "/v1/admin/configs/:env": "POST",
  "/v1/admin/configs/:env/history": "GET, HEAD",
  "/v1/admin/configs/:env/rollback": "POST",
  "/v1/admin/configs/:env/kill": "POST",
  "/v1/admin/audit": "GET, HEAD",
  "/v1/admin/ramps/:env": "GET, HEAD",
  "/v1/admin/ramps/:env/:flag/:allocation/:action": "POST",
  "/v1/admin/offline/:env/:flag": "POST",
  "/v1/results/:env/:flag/offline": "GET, HEAD",
  "/v1/admin/tokens": "GET, HEAD, POST",
  "/v1/admin/tokens/:name/revoke": "POST",
  "/v1/chat/completions": "POST",
  "/v1/models": "GET, HEAD",
  "/v1/admin/router-keys": "GET, HEAD, POST",
  "/v1/admin/router-keys/:name/revoke": "POST",
};

const concrete = (route: Route) => route.path.replace(/:(\w+)/g, (_, name: string) => PARAMS[name]!) + (QUERY[route.path] ?? "");
const needsToken = (route: Route) => route.access === "admin" || route.access === "read";
/** A router key for E, made before the tests. */
let routerKey = "";
const credentials = (route: Route): Record<string, string> => (needsToken(route) ? BEARER : route.access === "router" ? { Authorization: `Bearer ${routerKey}` } : {});
const paths = [...new Set(ROUTES.map((r) => r.path))];

beforeAll(async () => {
  await publish(E);
  routerKey = await makeRouterKey("routes-app", E);
});

describe("the table", () => {
  test("routes that share a path share their rules; a namespace with an admin or read route has nothing else", () => {
    for (const path of paths) {
      const rules = new Set(ROUTES.filter((r) => r.path === path).map((r) => `${r.access} ${r.cors}`));
      expect(rules.size, path).toBe(1);
    }
    const namespace = (path: string) => path.split("/").slice(0, 3).join("/");
    for (const admin of ROUTES.filter(needsToken)) {
      expect(ROUTES.filter((r) => namespace(r.path) === namespace(admin.path)).every(needsToken), admin.path).toBe(true);
    }
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
    expect(Object.keys(ALLOW).sort()).toEqual([...paths].sort());
  });

  test("GET /v1 lists every route with its rules; GET / redirects there for now", async () => {
    const index = await call("/v1");
    expect(index.status).toBe(200);
    expect(await index.json()).toEqual({ name: "edgeflag", status: "ok", routes: ROUTES.map(({ method, path, access, cors }) => ({ method, path, access, cors })) });
    const root = await call("/", { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("Location")).toBe("/v1");
    expect(root.headers.get("Cache-Control")).toBe("no-store");
    expect(await root.json()).toEqual({ api: "/v1" });
  });
});

describe("HEAD on every GET route", () => {
  for (const route of ROUTES.filter((r) => r.method === "GET")) {
    test(`HEAD ${route.path}: the GET's status and headers, no body`, async () => {
      const path = concrete(route);
      const get = await call(path, { headers: credentials(route), redirect: "manual" });
      const head = await call(path, { method: "HEAD", headers: credentials(route), redirect: "manual" });
      if (PLAIN_GET_STATUS[route.path] !== undefined) expect(get.status, path).toBe(PLAIN_GET_STATUS[route.path]);
      else expect(get.status, path).toBeLessThan(400);
      expect(head.status).toBe(get.status);
      expect(Object.fromEntries(head.headers)).toEqual(Object.fromEntries(get.headers));
      expect(head.body).toBeNull();
      expect((await get.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });
  }

  test("a HEAD revalidates like a GET (304 on the ETag) and a HEAD that fails has no body either", async () => {
    const first = await call(`/v1/configs/${E}`, { method: "HEAD" });
    const etag = first.headers.get("ETag")!;
    const again = await call(`/v1/configs/${E}`, { method: "HEAD", headers: { "If-None-Match": etag } });
    expect([again.status, again.headers.get("ETag"), again.body]).toEqual([304, etag, null]);
    const missing = await call("/v1/configs/routes-nothing", { method: "HEAD" });
    expect([missing.status, missing.headers.get("Content-Type"), missing.body]).toEqual([404, "application/json; charset=utf-8", null]);
    const unauthorized = await call(`/v1/admin/audit?env=${E}`, { method: "HEAD" });
    expect([unauthorized.status, unauthorized.headers.get("WWW-Authenticate"), unauthorized.body]).toEqual([401, "Bearer", null]);
  });
});

describe("access per route", () => {
  for (const route of ROUTES) {
    test(`${route.method} ${route.path} is ${route.access}`, async () => {
      const res = await call(concrete(route), { method: route.method, redirect: "manual" });
      if (needsToken(route)) {
        expect(res.status).toBe(401);
        expect(await errorOf(res)).toEqual({ code: "UNAUTHORIZED", message: "send Authorization: Bearer <admin token>" });
      } else if (route.access === "router") {
        expect(res.status).toBe(401);
        expect((await res.json<{ error: { code: string } }>()).error.code).toBe("invalid_api_key");
      } else {
        expect(res.status).not.toBe(401);
      }
    });
  }

  test("a path no route claims takes its namespace's rule: 401 under /v1/admin and /v1/results, 404 elsewhere", async () => {
    for (const path of ["/v1/admin", "/v1/admin/", "/v1/admin/nothing-here", "/v1/results/x", "/v1/results/a/b/c", "/v1/admin/configs/%zz"]) {
      expect((await call(path)).status, path).toBe(401);
      expect((await call(path, { method: "DELETE" })).status, path).toBe(401);
    }
    expect((await call("/v1/admin/configs/%zz/history", { headers: BEARER })).status).toBe(400); // decoded only once authorized
    for (const path of ["/nope", "/v1/nope", "/v1/configs", "/v1/configs/a/b"]) expect((await call(path)).status, path).toBe(404);
  });

  test("the admin token is not a router key: a router route refuses it with 401 invalid_api_key", async () => {
    const error = await authorize("router", new Request("http://edgeflag.test/v1/chat/completions", { headers: BEARER }), env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key" });
    const caller = await authorize("router", new Request("http://edgeflag.test/v1/models", { headers: { Authorization: `Bearer ${routerKey}` } }), env);
    expect(caller).toEqual({ name: "routes-app", role: "router", env: E });
  });
});

describe("CORS per route", () => {
  for (const route of ROUTES) {
    test(`${route.method} ${route.path}: ${route.cors}`, async () => {
      const res = await call(concrete(route), { method: route.method, headers: { ...credentials(route), Origin: ALLOWED_ORIGIN }, redirect: "manual" });
      const cors = { origin: res.headers.get("Access-Control-Allow-Origin"), expose: res.headers.get("Access-Control-Expose-Headers"), vary: res.headers.get("Vary") };
      const expected = { public: { origin: "*", expose: "ETag", vary: null }, events: { origin: ALLOWED_ORIGIN, expose: "Retry-After", vary: "Origin" }, none: { origin: null, expose: null, vary: null } };
      expect(cors).toEqual(expected[route.cors]);
    });
  }

  test("the events allowlist refuses another origin with 403 before the route runs, preflight included", async () => {
    for (const method of ["POST", "OPTIONS"]) {
      const res = await call("/v1/events", { method, headers: { Origin: "https://evil.example" }, body: method === "POST" ? "[]" : undefined });
      expect(res.status, method).toBe(403);
      expect([res.headers.get("Access-Control-Allow-Origin"), res.headers.get("Vary")]).toEqual([null, "Origin"]);
      expect((await errorOf(res)).code).toBe("ORIGIN_NOT_ALLOWED");
    }
  });

  test("a preflight lists the path's methods; a path without CORS has none (401 first on admin paths)", async () => {
    for (const path of paths) {
      const route = ROUTES.find((r) => r.path === path)!;
      const headers = { Origin: ALLOWED_ORIGIN, "Access-Control-Request-Method": route.method };
      const res = await call(concrete(route), { method: "OPTIONS", headers });
      if (route.cors === "none") {
        expect(res.status, path).toBe(401);
        const authed = await call(concrete(route), { method: "OPTIONS", headers: { ...headers, ...credentials(route) } });
        expect([authed.status, authed.headers.get("Allow"), authed.headers.get("Access-Control-Allow-Origin")], path).toEqual([405, ALLOW[path], null]);
        continue;
      }
      expect(res.status, path).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Methods"), path).toBe(ALLOW[path]);
      expect(res.headers.get("Access-Control-Allow-Headers"), path).toBe(route.cors === "events" ? "Content-Type" : "If-None-Match");
      expect(res.headers.get("Access-Control-Max-Age"), path).toBe("86400");
    }
  });
});

describe("405 and Allow", () => {
  test("every path answers another method with 405 and its Allow list (after authentication)", async () => {
    for (const path of paths) {
      const route = ROUTES.find((r) => r.path === path)!;
      for (const method of ["DELETE", "PUT", "GET", "HEAD", "POST"].filter((m) => !ALLOW[path]!.split(", ").includes(m))) {
        const res = await call(concrete(route), { method, headers: credentials(route) });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("Allow"), `${method} ${path}`).toBe(ALLOW[path]);
        const message = `${new URL(concrete(route), "http://x").pathname} answers ${ALLOW[path]}`;
        if (method === "HEAD") continue;
        if (route.access === "router") expect(await res.json()).toEqual({ error: { message, type: "invalid_request_error", param: null, code: "method_not_allowed" } });
        else expect(await errorOf(res)).toEqual({ code: "METHOD_NOT_ALLOWED", message });
      }
    }
  });
});

describe("GET /v1/bucket", () => {
  test("hashes like contract 1", async () => {
    const res = await call(`/v1/bucket?salt=checkout:a1:split&subject=${encodeURIComponent("José 🚀")}`);
    expect(await res.json()).toEqual({ hash: hashSubject("checkout:a1:split", "José 🚀"), bucket: bucket("checkout:a1:split", "José 🚀") });
  });

  test("bad input is a 400 naming the field; an unknown route is a 404", async () => {
    const bad = await call("/v1/bucket?salt=a.b&subject=u");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: "INVALID_SALT", pointer: "/salt", message: "salt must be 1 to 128 of A-Z a-z 0-9 _ : -" } });
    const missing = await call("/v1/bucket?salt=s");
    expect(missing.status).toBe(400);
    expect((await missing.json<{ error: { pointer: string } }>()).error.pointer).toBe("/subject");
    expect((await call("/nope")).status).toBe(404);
  });
});
