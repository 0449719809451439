// GET /.well-known/jwks.json: the public keys clients pin, from PUBLIC_JWKS plus the public half
// of SIGNING_KEY, never a private part; a config the Worker signs verifies against it.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { publicJwk, verifyConfig, type JWK } from "@edgeflag/sdk/signing";
import { CLI_KEY, PUBLIC_JWKS, SIGNING_KEY, SIGNING_KID, call, callWith, errorOf, publish, text } from "./helpers.ts";

const keysOf = async (res: Response) => (await res.json<{ keys: JWK[] }>()).keys;

describe("GET /.well-known/jwks.json", () => {
  test("200 with PUBLIC_JWKS as application/jwk-set+json, CORS open", async () => {
    const res = await call("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/jwk-set+json");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await keysOf(res)).toEqual(PUBLIC_JWKS.keys);
  });

  test("with PUBLIC_JWKS empty, the public half of SIGNING_KEY", async () => {
    const res = await callWith({ ...env, PUBLIC_JWKS: "" }, "/.well-known/jwks.json");
    expect(await keysOf(res)).toEqual([await publicJwk(SIGNING_KEY)]);
  });

  test("SIGNING_KEY's public half is added when PUBLIC_JWKS lacks it; private parts never leak", async () => {
    const onlyCli = JSON.stringify({ keys: [CLI_KEY] }) as Env["PUBLIC_JWKS"]; // a private JWK pasted by mistake
    const keys = await keysOf(await callWith({ ...env, PUBLIC_JWKS: onlyCli }, "/.well-known/jwks.json"));
    expect(keys).toEqual([await publicJwk(CLI_KEY), await publicJwk(SIGNING_KEY)]);
    expect(keys.some((k) => "d" in k)).toBe(false);
  });

  test("no keys at all: an empty set", async () => {
    const res = await callWith({ ...env, PUBLIC_JWKS: "", SIGNING_KEY: "" }, "/.well-known/jwks.json");
    expect(await res.json()).toEqual({ keys: [] });
  });

  test("a PUBLIC_JWKS that is not JSON is a 500 MISCONFIGURED, not a crash", async () => {
    const res = await callWith({ ...env, PUBLIC_JWKS: "{nope" as Env["PUBLIC_JWKS"] }, "/.well-known/jwks.json");
    expect(res.status).toBe(500);
    expect(await errorOf(res)).toEqual({ code: "MISCONFIGURED", message: "PUBLIC_JWKS is not valid JSON" });
  });

  test("a config the Worker signed verifies with the served keys and evaluates", async () => {
    await publish("jwks-e2e");
    const jwks = await keysOf(await call("/.well-known/jwks.json"));
    const verified = await verifyConfig(await text(await call("/v1/configs/jwks-e2e")), { keys: { keys: jwks }, env: "jwks-e2e" });
    expect(verified.kid).toBe(SIGNING_KID);
    expect(verified.alg).toBe("ES256");
    const compiled = compileConfig(verified.config);
    const result = evaluate(compiled, "chat-model", { subject: "user-42" });
    expect(["gpt-3_5", "gpt-4", "fixed"]).toContain(result.variant);
    expect(result.reason).toBe("SPLIT");
    expect(evaluate(compiled, "chat-model", { subject: "user-42" })).toEqual(result);
  });
});
