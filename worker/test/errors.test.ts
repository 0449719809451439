// Server-side trouble: corrupt storage or a bad secret is a 500 JSON without internals, never a
// stack trace; a client's mistakes are 4xx (tested beside each route).
import { env } from "cloudflare:workers";
import { describe, expect, test, vi } from "vitest";
import { latestKey } from "@edgeflag/config-schema/domain";
import { CONFIG, admin, call, callWith, errorOf } from "./helpers.ts";

describe("errors", () => {
  test("an unexpected exception is a 500 with a generic JSON body (details only in the log)", async () => {
    await env.FLAGS.put(latestKey("err-corrupt"), "not-a-number");
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await call("/v1/configs/err-corrupt");
    expect(res.status).toBe(500);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({ error: { code: "INTERNAL", message: "internal error" } });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  test("a SIGNING_KEY that is not a private JWK is 500 MISCONFIGURED", async () => {
    const init = { method: "POST", headers: { Authorization: "Bearer test-admin-token" }, body: JSON.stringify({ config: CONFIG }) };
    const notJson = await callWith({ ...env, SIGNING_KEY: "{oops" }, "/v1/admin/configs/err-key", init);
    expect(notJson.status).toBe(500);
    expect(await errorOf(notJson)).toEqual({ code: "MISCONFIGURED", message: "SIGNING_KEY is not valid JSON" });
    const publicOnly = await callWith({ ...env, SIGNING_KEY: JSON.stringify({ kty: "EC", crv: "P-256", x: "a", y: "b" }) }, "/v1/admin/configs/err-key", init);
    expect(await errorOf(publicOnly)).toEqual({ code: "MISCONFIGURED", message: "SIGNING_KEY must be a private P-256 (ES256) or Ed25519 (EdDSA) JWK" });
  });

  test("an oversized body is 413; a body that is not UTF-8 is 400", async () => {
    const big = await admin("/configs/err-big", "x".repeat(2_000_001));
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe("BODY_TOO_LARGE");
    const headers = { Authorization: "Bearer test-admin-token", "Content-Type": "application/jose" };
    const latin1 = await call("/v1/admin/configs/err-big", { method: "POST", headers, body: new Uint8Array([0x61, 0xff, 0x62]) });
    expect(latin1.status).toBe(400);
    expect(await errorOf(latin1)).toEqual({ code: "BAD_BODY", message: "the body is not UTF-8 text" });
  });
});
