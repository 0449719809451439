// Faults a review found: a version written without its pointer must not block later publishes,
// a version past 2^53 must not take an env down, a token secret with a newline still works.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { configKey } from "@edgeflag/config-schema/domain";
import { ADMIN_TOKEN, admin, call, callWith, errorOf, publish, sign, CLI_KEY, CONFIG } from "./helpers.ts";
import { CompactSign, importJWK } from "jose";

describe("review fixes", () => {
  test("a version stored without its pointer moved is skipped: publish, kill and rollback go on", async () => {
    expect(await publish("orphan")).toBe(1);
    await env.FLAGS.put(configKey("orphan", 2), await sign("orphan", 2)); // a publish cut off halfway
    expect(await publish("orphan")).toBe(3);
    const kill = await admin("/configs/orphan/kill", { flag: "chat-model", variant: "fixed" });
    expect(kill.status).toBe(201);
    expect((await kill.json<{ version: number }>()).version).toBe(4);
  });

  test("a pre-signed version past 2^53 is refused with SCHEMA_INVALID and the env keeps serving", async () => {
    expect(await publish("huge")).toBe(1);
    // signConfig itself refuses such a version, so the JWS is made by hand, as an attacker with a key could.
    const payload = { ...CONFIG, env: "huge", version: 2 ** 53 + 2, iat: 1_800_000_000, exp: 1_900_000_000 };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "EdDSA", kid: CLI_KEY.kid! })
      .sign(await importJWK(CLI_KEY, "EdDSA"));
    const res = await admin("/configs/huge", { jws });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("SCHEMA_INVALID");
    expect((await call("/v1/configs/huge")).status).toBe(200);
  });

  test("an admin token secret stored with a trailing newline still matches", async () => {
    const res = await callWith({ ...env, ADMIN_TOKEN: `${ADMIN_TOKEN}\n` }, "/v1/admin/audit?env=orphan", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
  });
});
