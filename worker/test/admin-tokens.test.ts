// Named admin tokens: the audit log records the calling token's name (never a declared one),
// tokens are stored hashed, a revoked or unknown token gets the wrong token's 401, a read token
// reads but never changes, and the bootstrap ADMIN_TOKEN keeps working.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { ADMIN_TOKEN, CONFIG, admin, bearer, call, callWith, errorOf, makeToken, publish } from "./helpers.ts";

const WRONG = { code: "UNAUTHORIZED", message: "the admin token is wrong" };
const history = async (name: string) => (await (await admin(`/configs/${name}/history`)).json<{ versions: Array<{ version: number; actor: string; reason?: string }> }>()).versions;

describe("named tokens in the audit log", () => {
  test("publish with ana's token → history and audit say ana; a forged header or body actor is ignored", async () => {
    const ana = await makeToken("ana");
    expect(ana).toMatch(/^eft1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    const res = await admin("/configs/tok-audit", { config: CONFIG, actor: "mallory", reason: "launch" }, { ...bearer(ana), "X-Edgeflag-Actor": "mallory" });
    expect(res.status).toBe(201);
    await admin("/configs/tok-audit/rollback", { to: 1, actor: "ana" });
    expect((await history("tok-audit")).map((v) => [v.version, v.actor, v.reason ?? null])).toEqual([[2, "bootstrap", null], [1, "ana", "launch"]]);
    const audit = await (await admin("/audit?env=tok-audit", undefined, bearer(ana))).json<{ entries: Array<{ actor: string }> }>();
    expect(audit.entries.map((e) => e.actor)).toEqual(["bootstrap", "ana"]);
  });

  test("201 answers the token once; the list shows name, role, who made it, never a token or hash", async () => {
    const res = await admin("/tokens", { name: "tok-ci@example.com", role: "read" });
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const made = await res.json<{ token: string; createdAt: string }>();
    expect(made).toEqual({ token: made.token, name: "tok-ci@example.com", role: "read", createdAt: made.createdAt, createdBy: "bootstrap" });
    const listed = await (await admin("/tokens")).json<{ tokens: Array<Record<string, string>> }>();
    expect(listed.tokens.find((t) => t.name === "tok-ci@example.com")).toEqual({ name: "tok-ci@example.com", role: "read", createdAt: made.createdAt, createdBy: "bootstrap" });
    expect(JSON.stringify(listed)).not.toContain(made.token.split(".")[2]);
  });

  test("stored hashed: the row holds the SHA-256 of the token, and no part of its secret", async () => {
    const token = await makeToken("tok-hashed");
    const [, id, secretPart] = token.split(".");
    const row = await env.DB.prepare("SELECT * FROM admin_tokens WHERE name = 'tok-hashed'").first<Record<string, unknown>>();
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(row).toMatchObject({ id, name: "tok-hashed", role: "admin", hash: digest, created_by: "bootstrap", revoked_at: null });
    expect(Object.values(row!).some((v) => typeof v === "string" && (v.includes(secretPart!) || v.includes(token)))).toBe(false);
  });

  test("revoke → the next request is a 401 with the wrong token's body; the name can be given a new token", async () => {
    const old = await makeToken("tok-revoked");
    expect((await admin("/configs/tok-revoke", { config: CONFIG }, bearer(old))).status).toBe(201);
    const res = await admin("/tokens/tok-revoked/revoke", {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "tok-revoked", role: "admin", createdBy: "bootstrap", revokedBy: "bootstrap", revokedAt: expect.stringMatching(/^20\d\d-/) });
    const refused = await admin("/configs/tok-revoke", { config: CONFIG }, bearer(old));
    expect([refused.status, refused.headers.get("WWW-Authenticate"), await errorOf(refused)]).toEqual([401, 'Bearer error="invalid_token"', WRONG]);
    expect((await admin("/tokens/tok-revoked/revoke", {})).status).toBe(404);
    const again = await makeToken("tok-revoked");
    expect((await admin("/configs/tok-revoke", { config: CONFIG }, bearer(again))).status).toBe(201);
    expect((await history("tok-revoke")).map((v) => v.actor)).toEqual(["tok-revoked", "tok-revoked"]);
  });

  test("an unknown id, a right id with a wrong secret, and a token-shaped guess all get the same 401", async () => {
    const real = await makeToken("tok-guess");
    const [, id] = real.split(".");
    for (const token of [`eft1.${"A".repeat(16)}.${"B".repeat(43)}`, `eft1.${id}.${"B".repeat(43)}`, `${real}x`, "eft1.ana"]) {
      const res = await call("/v1/admin/audit?env=tok-audit", { headers: bearer(token) });
      expect([res.status, await errorOf(res)], token).toEqual([401, WRONG]);
    }
  });
});

describe("roles", () => {
  test("a read token reads results, history and audit, and gets 403 on every change and on tokens", async () => {
    await publish("tok-read");
    const reader = bearer(await makeToken("tok-reader", "read"));
    expect((await admin("/configs/tok-read/history", undefined, reader)).status).toBe(200);
    expect((await admin("/audit?env=tok-read", undefined, reader)).status).toBe(200);
    expect((await call("/v1/results/tok-read/chat-model", { headers: reader })).status).toBe(200);
    const changes: Array<[string, unknown]> = [["/configs/tok-read", { config: CONFIG }], ["/configs/tok-read/rollback", { to: 1 }], ["/configs/tok-read/kill", { flag: "chat-model", variant: "fixed" }], ["/tokens", { name: "tok-escalate" }], ["/tokens/tok-reader/revoke", {}]];
    for (const [path, body] of changes) {
      const res = await admin(path, body, reader);
      expect([res.status, await errorOf(res)], path).toEqual([403, { code: "FORBIDDEN", message: 'the token "tok-reader" may only read (role read); this route needs role admin' }]);
    }
    expect((await admin("/tokens", undefined, reader)).status).toBe(403);
    expect((await history("tok-read")).length).toBe(1);
  });

  test("a named admin token makes and revokes tokens, recorded under its name", async () => {
    const lead = bearer(await makeToken("tok-lead"));
    const made = await admin("/tokens", { name: "tok-made-by-lead" }, lead);
    expect(await made.json()).toMatchObject({ name: "tok-made-by-lead", role: "admin", createdBy: "tok-lead" });
    expect(await (await admin("/tokens/tok-made-by-lead/revoke", {}, lead)).json()).toMatchObject({ revokedBy: "tok-lead" });
  });

  test("the bootstrap ADMIN_TOKEN still works, as actor bootstrap", async () => {
    const res = await call("/v1/admin/configs/tok-boot", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ config: CONFIG }) });
    expect(res.status).toBe(201);
    expect((await history("tok-boot"))[0]!.actor).toBe("bootstrap");
  });
});

describe("refusals name the field", () => {
  test("400 for a bad or reserved name or role; 409 for a live name; 404 for revoking a name with no live token", async () => {
    await makeToken("tok-taken");
    const cases: Array<[unknown, number, string, string]> = [
      [{}, 400, "FIELD_REQUIRED", "/name"],
      [{ name: 7 }, 400, "FIELD_INVALID", "/name"],
      [{ name: "ana\u001b]0;x" }, 400, "INVALID_NAME", "/name"],
      [{ name: "a".repeat(65) }, 400, "INVALID_NAME", "/name"],
      [{ name: "bootstrap" }, 400, "RESERVED_NAME", "/name"],
      [{ name: "edgeflag-cron" }, 400, "RESERVED_NAME", "/name"],
      [{ name: "tok-role", role: "owner" }, 400, "INVALID_ROLE", "/role"],
      [{ name: "tok-taken" }, 409, "TOKEN_EXISTS", "/name"],
    ];
    for (const [body, status, code, pointer] of cases) {
      const res = await admin("/tokens", body);
      const error = await errorOf(res);
      expect([res.status, error.code, error.pointer], JSON.stringify(body)).toEqual([status, code, pointer]);
    }
    const missing = await admin("/tokens/tok-nobody/revoke", {});
    expect([missing.status, await errorOf(missing)]).toEqual([404, { code: "TOKEN_NOT_FOUND", message: 'no live token is named "tok-nobody"', pointer: "/name" }]);
    expect((await admin("/tokens/%20ana/revoke", {})).status).toBe(400);
  });
});

describe("Cloudflare Access (the happy path, with a JWKS served over the network, is in test/e2e/admin-tokens.test.ts)", () => {
  const withAccess = { ...env, ACCESS_TEAM_DOMAIN: "team.invalid", ACCESS_AUD: "aud" } as Env;
  const audit = (e: Env, headers: Record<string, string>) => callWith(e, "/v1/admin/audit?env=tok-audit", { headers });

  test("off (no team domain or AUD): the assertion header is ignored", async () => {
    for (const off of [env, { ...env, ACCESS_TEAM_DOMAIN: "team.invalid" } as Env]) {
      const res = await audit(off, { "Cf-Access-Jwt-Assertion": "a.b.c" });
      expect([res.status, await errorOf(res)]).toEqual([401, { code: "UNAUTHORIZED", message: "send Authorization: Bearer <admin token>" }]);
    }
  });

  test("on: an assertion that is not a JWT is a 401; an Authorization header is used first", async () => {
    const res = await audit(withAccess, { "Cf-Access-Jwt-Assertion": "not-a-jwt" });
    expect([res.status, await errorOf(res)]).toEqual([401, { code: "UNAUTHORIZED", message: "the Cloudflare Access assertion is not valid" }]);
    expect((await audit(withAccess, { "Cf-Access-Jwt-Assertion": "not-a-jwt", Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
  });
});
