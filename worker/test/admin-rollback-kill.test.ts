// Rollback and the kill switch: both publish a NEW, higher version signed by the Worker, so
// clients that refuse older versions take it; the served config is what the tests evaluate.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { verifyConfig } from "@edgeflag/sdk/signing";
import { configKey, latestKey, type VersionRecord } from "@edgeflag/config-schema/domain";
import { CONFIG, PUBLIC_JWKS, SIGNING_KID, admin, bearer, call, callWith, errorOf, makeToken, publish, sign, text, withModel } from "./helpers.ts";

const served = async (name: string, minVersion = 0) => verifyConfig(await text(await call(`/v1/configs/${name}`)), { keys: PUBLIC_JWKS, env: name, minVersion });
const recordOf = async (name: string, v: number) => (await env.FLAGS.getWithMetadata<VersionRecord>(configKey(name, v))).metadata;

describe("POST /v1/admin/configs/:env/rollback", () => {
  test("republishes version N's flags as latest+1, accepted by a client that saw the latest", async () => {
    await publish("rb-env", withModel("good"));
    await publish("rb-env", withModel("bad"));
    const before = await served("rb-env");
    const res = await admin("/configs/rb-env/rollback", { to: 1, reason: "bad answers" }, bearer(await makeToken("oncall")));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ env: "rb-env", version: 3, kid: SIGNING_KID });
    const after = await served("rb-env", before.version);
    const v1 = await verifyConfig((await env.FLAGS.get(configKey("rb-env", 1)))!, { keys: PUBLIC_JWKS, env: "rb-env" });
    expect(after.version).toBe(3);
    expect(after.config.flags).toEqual(v1.config.flags);
    expect(await recordOf("rb-env", 3)).toMatchObject({ version: 3, action: "rollback", from: 1, actor: "oncall", reason: "bad answers", kid: SIGNING_KID });
  });

  test("rolls back to a pre-signed version too (its content, re-signed by the Worker)", async () => {
    await admin("/configs/rb-presigned", { jws: await sign("rb-presigned", 7, undefined, withModel("cli")) });
    await publish("rb-presigned", withModel("worker"));
    await admin("/configs/rb-presigned/rollback", { to: 7 });
    const after = await served("rb-presigned");
    expect([after.version, after.kid]).toEqual([9, SIGNING_KID]);
    expect(after.config.flags["chat-model"]!.variants["gpt-4"]!.value).toBe("cli");
  });

  test("404 VERSION_NOT_FOUND for an unknown N; 400 naming /to when N is not a positive integer", async () => {
    await publish("rb-errors");
    const missing = await admin("/configs/rb-errors/rollback", { to: 5 });
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toEqual({ code: "VERSION_NOT_FOUND", message: 'env "rb-errors" has no version 5', pointer: "/to" });
    for (const to of [0, -1, 1.5, "one", null, true]) {
      const res = await admin("/configs/rb-errors/rollback", { to });
      expect(res.status, String(to)).toBe(400);
      expect(await errorOf(res)).toEqual({ code: "INVALID_VERSION", message: "a version is a positive integer", pointer: "/to" });
    }
    expect(await errorOf(await admin("/configs/rb-errors/rollback", {}))).toMatchObject({ code: "FIELD_REQUIRED", pointer: "/to" });
    expect(await env.FLAGS.get(latestKey("rb-errors"))).toBe("1");
  });

  test("501 NO_SIGNING_KEY when the Worker cannot sign", async () => {
    await publish("rb-nokey");
    const res = await callWith({ ...env, SIGNING_KEY: "" }, "/v1/admin/configs/rb-nokey/rollback", { method: "POST", headers: { Authorization: "Bearer test-admin-token" }, body: '{"to": 1}' });
    expect(res.status).toBe(501);
    expect((await errorOf(res)).code).toBe("NO_SIGNING_KEY");
  });
});

describe("POST /v1/admin/configs/:env/kill", () => {
  test("every subject gets the variant, reason DISABLED, in a new version", async () => {
    await publish("kill-env");
    const res = await admin("/configs/kill-env/kill", { flag: "chat-model", variant: "fixed", reason: "model outage" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ env: "kill-env", version: 2, kid: SIGNING_KID });
    const { config, version } = await served("kill-env", 1);
    expect(version).toBe(2);
    const compiled = compileConfig(config);
    for (const subject of ["user-1", "user-2", "José", "中文", "🚀", ""]) {
      expect(evaluate(compiled, "chat-model", { subject })).toEqual({ flag: "chat-model", variant: "fixed", value: "A human will reply soon.", allocation: null, reason: "DISABLED", log: false });
    }
    expect(config.flags["new-checkout"]).toEqual(CONFIG.flags["new-checkout"]);
    expect(await recordOf("kill-env", 2)).toMatchObject({ version: 2, action: "kill", flag: "chat-model", variant: "fixed", reason: "model outage", actor: "bootstrap" });
  });

  test("400 naming /flag or /variant for unknown or missing ones; nothing published", async () => {
    await publish("kill-errors");
    const cases: Array<[unknown, string, string]> = [
      [{ flag: "nope", variant: "fixed" }, "UNKNOWN_FLAG", "/flag"],
      [{ flag: "constructor", variant: "fixed" }, "UNKNOWN_FLAG", "/flag"],
      [{ flag: "chat-model", variant: "gpt-5" }, "UNKNOWN_VARIANT", "/variant"],
      [{ flag: "chat-model", variant: "toString" }, "UNKNOWN_VARIANT", "/variant"],
      [{ variant: "fixed" }, "FIELD_REQUIRED", "/flag"],
      [{ flag: "chat-model" }, "FIELD_REQUIRED", "/variant"],
      [{ flag: 3, variant: "fixed" }, "FIELD_INVALID", "/flag"],
    ];
    for (const [body, code, pointer] of cases) {
      const res = await admin("/configs/kill-errors/kill", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code, pointer });
    }
    expect(await errorOf(await admin("/configs/kill-errors/kill", { flag: "chat-model", variant: "gpt-5" }))).toEqual({
      code: "UNKNOWN_VARIANT",
      message: 'flag "chat-model" has no variant "gpt-5" (it has "gpt-3_5", "gpt-4", "fixed")',
      pointer: "/variant",
    });
    expect(await env.FLAGS.get(latestKey("kill-errors"))).toBe("1");
  });

  test("404 ENV_NOT_FOUND for an env with nothing published", async () => {
    const res = await admin("/configs/kill-nothing/kill", { flag: "chat-model", variant: "fixed" });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("ENV_NOT_FOUND");
  });
});
