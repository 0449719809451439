// POST /v1/admin/configs/:env: unsigned configs signed by the Worker, pre-signed JWSs verified
// against the trusted keys, and every refusal a 4xx that names what is wrong and stores nothing.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { configKey, latestKey, type VersionRecord } from "@edgeflag/config-schema/domain";
import { CLI_KID, CONFIG, bearer, makeToken, SIGNING_KEY, SIGNING_KID, UNTRUSTED_KEY, admin, callWith, errorOf, publish, sign, text, call } from "./helpers.ts";

const stored = async (name: string, version: number) => env.FLAGS.getWithMetadata<VersionRecord>(configKey(name, version));

describe("publish an unsigned config", () => {
  test("201 {env, version, kid}: signed by SIGNING_KEY as latest+1, record stored, then the pointer", async () => {
    const res = await admin("/configs/pub-unsigned", { config: CONFIG, reason: "first release" }, bearer(await makeToken("ana@example.com")));
    expect(res.status).toBe(201);
    expect(res.headers.get("Location")).toBe("/v1/configs/pub-unsigned/versions/1");
    expect(await res.json()).toEqual({ env: "pub-unsigned", version: 1, kid: SIGNING_KID });
    const { value, metadata } = await stored("pub-unsigned", 1);
    expect(decodeSignedConfig(value!).payload).toMatchObject({ ...CONFIG, env: "pub-unsigned", version: 1 });
    expect(decodeSignedConfig(value!).header).toMatchObject({ alg: "ES256", kid: SIGNING_KID });
    expect(metadata).toEqual({ version: 1, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), actor: "ana@example.com", action: "publish", reason: "first release", kid: SIGNING_KID });
    expect(await env.FLAGS.getWithMetadata(latestKey("pub-unsigned"))).toMatchObject({ value: "1", metadata: { version: 1 } });
    expect(await publish("pub-unsigned")).toBe(2);
  });

  test("the actor is the token's name: a body actor or an X-Edgeflag-Actor header is ignored; the reason is cut to 300", async () => {
    await admin("/configs/pub-actor", { config: CONFIG, actor: "bob" }, { "X-Edgeflag-Actor": "mallory" });
    await admin("/configs/pub-actor", { config: CONFIG, reason: "r".repeat(400) });
    expect((await stored("pub-actor", 1)).metadata).toMatchObject({ actor: "bootstrap" });
    expect((await stored("pub-actor", 2)).metadata).toMatchObject({ actor: "bootstrap", reason: "r".repeat(300) });
  });

  test("400 CONFIG_INVALID with every error, pointers under /config; nothing stored", async () => {
    const bad = { flags: { "chat-model": { ...CONFIG.flags["chat-model"]!, defaultVariant: "nope", enabled: "yes" } } };
    const res = await admin("/configs/pub-invalid", { config: bad });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.errors).toEqual([
      { pointer: "/config/flags/chat-model/enabled", message: "must be of type boolean (got string)" },
      { pointer: "/config/flags/chat-model/defaultVariant", message: expect.stringContaining("nope") },
    ]);
    expect(await env.FLAGS.get(latestKey("pub-invalid"))).toBeNull();
  });

  test("400 for bodies that are not what publish takes, naming the field", async () => {
    const cases: Array<[string, string, string | undefined]> = [
      ["{not json", "BAD_JSON", undefined],
      ["[1, 2]", "BODY_INVALID", ""],
      ["{}", "FIELD_REQUIRED", "/config"],
      ['{"config": [1]}', "FIELD_INVALID", "/config"],
      ['{"config": {"flags": {}}, "jws": "a.b.c"}', "BODY_INVALID", "/jws"],
      ['{"jws": 42}', "FIELD_INVALID", "/jws"],
      ['{"config": {"flags": {}}, "reason": 7}', "FIELD_INVALID", "/reason"],
    ];
    for (const [body, code, pointer] of cases) {
      const res = await admin("/configs/pub-badbody", body);
      expect(res.status, body).toBe(400);
      const error = await errorOf(res);
      expect(error.code, body).toBe(code);
      expect(error.pointer, body).toBe(pointer);
    }
    expect(await env.FLAGS.get(latestKey("pub-badbody"))).toBeNull();
  });

  test("501 NO_SIGNING_KEY without SIGNING_KEY, saying to send a pre-signed JWS", async () => {
    const res = await callWith({ ...env, SIGNING_KEY: "" }, "/v1/admin/configs/pub-nokey", { method: "POST", headers: { Authorization: "Bearer test-admin-token" }, body: JSON.stringify({ config: CONFIG }) });
    expect(res.status).toBe(501);
    const error = await errorOf(res);
    expect(error.code).toBe("NO_SIGNING_KEY");
    expect(error.message).toContain("send the JWS");
  });
});

describe("publish a pre-signed config", () => {
  test("201 for a JWS signed by a trusted key ({jws} or raw application/jose); stored as sent", async () => {
    const jws = await sign("pub-signed", 5);
    const res = await admin("/configs/pub-signed", { jws, reason: "from CI" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ env: "pub-signed", version: 5, kid: CLI_KID });
    expect((await stored("pub-signed", 5)).value).toBe(jws);
    expect((await stored("pub-signed", 5)).metadata).toMatchObject({ version: 5, action: "publish", reason: "from CI", kid: CLI_KID });
    const raw = await sign("pub-signed", 6, SIGNING_KEY);
    const res6 = await admin("/configs/pub-signed", raw, { "Content-Type": "application/jose" });
    expect(await res6.json()).toEqual({ env: "pub-signed", version: 6, kid: SIGNING_KID });
    expect(await text(await call("/v1/configs/pub-signed"))).toBe(raw);
  });

  test("409 VERSION_CONFLICT naming the latest (the version it lost to) for a version not above it; the latest stays", async () => {
    await admin("/configs/pub-conflict", { jws: await sign("pub-conflict", 3) });
    for (const v of [2, 3]) {
      const res = await admin("/configs/pub-conflict", { jws: await sign("pub-conflict", v) });
      expect(res.status).toBe(409);
      expect(await errorOf(res)).toEqual({ code: "VERSION_CONFLICT", message: `version ${v} is not newer than the latest version 3 of env "pub-conflict"`, latest: 3 });
    }
    expect(await env.FLAGS.get(latestKey("pub-conflict"))).toBe("3");
  });

  test("400 with the verifier's code for a refused JWS, and nothing stored", async () => {
    const good = await sign("pub-refused", 1);
    const [h, p, s] = good.split(".") as [string, string, string];
    const payload = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = btoa(JSON.stringify({ ...payload, version: 99 })).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const cases: Array<[string, string]> = [
      [`${h}.${forged}.${s}`, "SIGNATURE_INVALID"],
      [await sign("pub-refused", 1, UNTRUSTED_KEY), "UNKNOWN_KID"],
      [await sign("another-env", 1), "WRONG_ENV"],
      ["not-a-jws", "MALFORMED"],
    ];
    for (const [jws, code] of cases) {
      const res = await admin("/configs/pub-refused", { jws });
      expect(res.status, code).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code, pointer: "/jws" });
    }
    const raw = await admin("/configs/pub-refused", `${h}.${forged}.${s}`, { "Content-Type": "application/jose; charset=utf-8" });
    expect(await errorOf(raw)).toMatchObject({ code: "SIGNATURE_INVALID", pointer: "" });
    expect((await env.FLAGS.list({ prefix: "config:pub-refused:" })).keys).toEqual([]);
  });
});
