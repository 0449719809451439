// The admin API's bearer token: 401 (with WWW-Authenticate) when missing, of another scheme or
// wrong; 503 when the Worker has no ADMIN_TOKEN at all (never open); checked before any routing.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { ADMIN_TOKEN, CONFIG, call, callWith, errorOf } from "./helpers.ts";

const publishBody = { method: "POST", body: JSON.stringify({ config: CONFIG }) };

describe("admin authentication", () => {
  test("401 without an Authorization header", async () => {
    const res = await call("/v1/admin/configs/auth-env", publishBody);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(await errorOf(res)).toEqual({ code: "UNAUTHORIZED", message: "send Authorization: Bearer <admin token>" });
  });

  test("401 with a wrong token, a token of another length, or an empty one", async () => {
    for (const token of ["test-admin-tokeN", "test", `${ADMIN_TOKEN}x`]) {
      const res = await call("/v1/admin/audit?env=auth-env", { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status, token).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe('Bearer error="invalid_token"');
      expect(await errorOf(res)).toEqual({ code: "UNAUTHORIZED", message: "the admin token is wrong" });
    }
    expect((await call("/v1/admin/audit?env=auth-env", { headers: { Authorization: "Bearer " } })).status).toBe(401);
  });

  test("401 for another scheme, even with the right token", async () => {
    for (const header of [`Basic ${btoa(`admin:${ADMIN_TOKEN}`)}`, `Token ${ADMIN_TOKEN}`, ADMIN_TOKEN]) {
      const res = await call("/v1/admin/audit?env=auth-env", { headers: { Authorization: header } });
      expect(res.status, header).toBe(401);
      expect(await errorOf(res)).toEqual({ code: "UNAUTHORIZED", message: "the Authorization header must use the Bearer scheme" });
    }
  });

  test("the scheme is case-insensitive; the right token passes", async () => {
    const res = await call("/v1/admin/audit?env=auth-nothing", { headers: { Authorization: `bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(404); // authenticated; the env has no history
  });

  test("unknown admin paths are 401 before they are 404, and nothing was stored", async () => {
    expect((await call("/v1/admin/nothing-here")).status).toBe(401);
    const res = await call("/v1/admin/nothing-here", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await env.FLAGS.get("config:auth-env:latest")).toBeNull();
  });

  test("503 ADMIN_DISABLED when no ADMIN_TOKEN is configured, whatever the request sends", async () => {
    for (const token of [undefined, ""]) {
      const off = { ...env, ADMIN_TOKEN: token } as Env;
      const res = await callWith(off, "/v1/admin/configs/auth-env", { ...publishBody, headers: { Authorization: "Bearer undefined" } });
      expect(res.status).toBe(503);
      expect(await errorOf(res)).toEqual({
        code: "ADMIN_DISABLED",
        message: "the admin API is off: no ADMIN_TOKEN is configured (set it with `wrangler secret put ADMIN_TOKEN`, or in .dev.vars locally)",
      });
    }
    expect(await env.FLAGS.get("config:auth-env:latest")).toBeNull();
  });
});
