// Router keys inside workerd: OpenAI's 401 shape, revoked keys, the admin token refused (and a
// router key refused by the admin API), one env per key, the admin routes' 400/404/409, and the
// optional rate limits (real rate-limiting bindings) answering 429 with Retry-After.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, test } from "vitest";
import { admin, ADMIN_TOKEN, call, callWith, makeRouterKey, publish } from "./helpers.ts";
import { ask, chatWith, errorOf, ROUTED } from "./router-helpers.ts";
import { findRouterKey, ROUTER_KEY_CACHE_MS } from "../src/storage/router-keys.ts";

const E = "router-keys-env";
const OTHER = "router-keys-other";
let key = "";
const chat = (body: unknown, headers: Record<string, string> = {}, k = key) => chatWith(k, body, headers);

beforeAll(async () => {
  await publish(E, ROUTED);
  await publish(OTHER, { flags: { "other-model": ROUTED.flags["chat-model"]! } });
  key = await makeRouterKey("router-keys-app", E);
});

describe("router keys", () => {
  test("an isolate trusts a key it verified for ROUTER_KEY_CACHE_MS: a revocation made elsewhere holds within 10 s, one made here at once", async () => {
    const k = await makeRouterKey("router-cached", E);
    const t = Date.now();
    expect(await findRouterKey(env.DB, k, t)).toEqual({ name: "router-cached", env: E });
    // Another isolate revokes it: this one's D1 row changes under it.
    await env.DB.prepare("UPDATE router_keys SET revoked_at = ?, revoked_by = 'elsewhere' WHERE name = 'router-cached'").bind(t).run();
    expect(await findRouterKey(env.DB, k, t + ROUTER_KEY_CACHE_MS - 1)).toEqual({ name: "router-cached", env: E });
    expect(await findRouterKey(env.DB, k, t + ROUTER_KEY_CACHE_MS)).toBeNull();
    expect(ROUTER_KEY_CACHE_MS).toBe(10_000);
    const here = await makeRouterKey("router-cached-here", E);
    expect((await chat(ask("u"), {}, here)).status).toBe(200);
    expect((await admin("/router-keys/router-cached-here/revoke", {})).status).toBe(200);
    expect((await chat(ask("u"), {}, here)).status).toBe(401);
  });

  test("no key, a wrong key, the admin token: 401 invalid_api_key in OpenAI's shape", async () => {
    const none = await call("/v1/chat/completions", { method: "POST", body: JSON.stringify(ask("u")) });
    expect(none.status).toBe(401);
    expect(await errorOf(none)).toEqual({ message: "send a router key as Authorization: Bearer <key> (the OpenAI client's apiKey); make one with `edgeflag router-keys create`", type: "invalid_request_error", param: null, code: "invalid_api_key" });
    for (const wrong of [ADMIN_TOKEN, "efr1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", key.slice(0, -1) + (key.endsWith("A") ? "B" : "A")]) {
      const res = await chat(ask("u"), {}, wrong);
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toEqual({ message: "the router key is wrong, unknown or revoked", type: "invalid_request_error", param: null, code: "invalid_api_key" });
    }
    const models = await call("/v1/models", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect([models.status, (await errorOf(models)).code]).toEqual([401, "invalid_api_key"]);
  });

  test("a router key is not an admin token either", async () => {
    const res = await call("/v1/admin/tokens", { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(401);
  });

  test("made, listed (never the key) and revoked through the admin API; a revoked key stops at the next request", async () => {
    const made = await admin("/router-keys", { name: "router-revoked", env: E });
    expect(made.status).toBe(201);
    const body = await made.json<{ key: string; name: string; env: string; createdBy: string }>();
    expect(body).toMatchObject({ name: "router-revoked", env: E, createdBy: "bootstrap" });
    expect(body.key).toMatch(/^efr1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    expect((await chat(ask("u-1"), {}, body.key)).status).toBe(200);
    const listed = await (await admin("/router-keys")).text();
    expect(listed).toContain('"router-revoked"');
    expect(listed).not.toContain(body.key.split(".")[2]!);
    expect((await admin("/router-keys", { name: "router-revoked", env: E })).status).toBe(409);
    const revoked = await admin("/router-keys/router-revoked/revoke", {});
    expect(await revoked.json()).toMatchObject({ name: "router-revoked", env: E, revokedBy: "bootstrap" });
    const after = await chat(ask("u-1"), {}, body.key);
    expect([after.status, (await errorOf(after)).code]).toEqual([401, "invalid_api_key"]);
    expect((await admin("/router-keys/router-revoked/revoke", {})).status).toBe(404);
  });

  test("a key routes by its own env only: another env's flag is model_not_found", async () => {
    const res = await chat({ ...ask("u"), model: "other-model" });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({ message: `The model \`other-model\` does not exist: env ${E} has no flag of that key`, type: "invalid_request_error", param: "model", code: "model_not_found" });
    const otherKey = await makeRouterKey("router-other-app", OTHER);
    expect((await chat({ ...ask("u"), model: "other-model" }, {}, otherKey)).status).toBe(200);
  });

  test("bad names and envs are 400s naming the field", async () => {
    const badName = await admin("/router-keys", { name: "-x", env: E });
    expect([badName.status, (await badName.json<{ error: { pointer: string } }>()).error.pointer]).toEqual([400, "/name"]);
    const badEnv = await admin("/router-keys", { name: "ok", env: "a b" });
    expect([badEnv.status, (await badEnv.json<{ error: { pointer: string } }>()).error.pointer]).toEqual([400, "/env"]);
  });
});

describe("rate limits (Workers rate-limiting bindings)", () => {
  // The binding counts in fixed windows of its period: a window may turn during a burst, so the
  // first 429 comes after at least the limit (120) and at most twice the limit of 200s.
  async function untilLimited(send: (i: number) => Promise<Response>): Promise<{ passed: number; res: Response }> {
    for (let i = 0; i <= 240; i++) {
      const res = await send(i);
      if (res.status !== 200) return { passed: i, res };
      await res.arrayBuffer();
    }
    throw new Error("no 429 after 241 calls");
  }

  test("per subject: past ROUTER_SUBJECT_LIMIT (120 a minute) a 429 with Retry-After; other subjects go on; without the binding, no limit", async () => {
    const { passed, res } = await untilLimited(() => chat(ask("busy-subject")));
    expect(passed).toBeGreaterThanOrEqual(120);
    expect([res.status, res.headers.get("Retry-After")]).toEqual([429, "60"]);
    expect(await errorOf(res)).toEqual({ message: "rate limit reached for this subject; try again in 60 s", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" });
    expect((await chat(ask("calm-subject"))).status).toBe(200);
    const unlimited = await callWith({ ...env, ROUTER_SUBJECT_LIMIT: undefined } as unknown as Env, "/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${key}` }, body: JSON.stringify(ask("busy-subject")) });
    expect(unlimited.status).toBe(200);
  });

  test("per key: a key past its limit gets 429 whatever the subject", async () => {
    const k = await makeRouterKey("router-busy-key", E);
    const strict = { ...env, ROUTER_KEY_LIMIT: env.ROUTER_SUBJECT_LIMIT } as Env; // the same real binding, 120 a minute, counting this key
    const { passed, res } = await untilLimited((i) => callWith(strict, "/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${k}` }, body: JSON.stringify(ask(`subject-${i}`)) }));
    expect(passed).toBeGreaterThanOrEqual(120);
    expect([res.status, res.headers.get("Retry-After"), (await errorOf(res)).message]).toEqual([429, "60", "rate limit reached for this router key; try again in 60 s"]);
  });
});
