// A config that would send an upstream key secret to an origin ROUTER_UPSTREAMS (wrangler.toml)
// does not allow for it is refused at publish, unsigned or pre-signed, with the variant's pointer.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import type { FlagConfig } from "@edgeflag/config-schema";
import { latestKey } from "@edgeflag/config-schema/domain";
import { CONFIG, admin, errorOf, sign } from "./helpers.ts";

/** CONFIG with one more flag whose variants call models. */
const withCalls = (value: Record<string, unknown>): FlagConfig => ({
  flags: {
    ...CONFIG.flags,
    "chat-router": {
      enabled: true,
      defaultVariant: "gpt-4.1",
      variants: { "gpt-4.1": { value }, "always-42": { value: { provider: "fixed", answer: "42" } } },
      allocations: [{ key: "experiment", splits: [{ variant: "gpt-4.1", weight: 1 }, { variant: "always-42", weight: 1 }], log: true }],
    },
  },
});

describe("publish checks where key secrets may go", () => {
  test("201 when every secret goes to an origin wrangler.toml allows for it", async () => {
    const ok = withCalls({ provider: "openai", model: "gpt-4.1", apiKeySecret: "OPENAI_API_KEY", baseUrl: "https://api.openai.com/v1" });
    expect((await admin("/configs/up-ok", { config: ok })).status).toBe(201);
  });

  test("400 UPSTREAM_NOT_ALLOWED with the pointer under /config, nothing stored", async () => {
    const evil = withCalls({ provider: "openai-compatible", model: "m", apiKeySecret: "OPENAI_API_KEY", baseUrl: "https://collector.example/v1" });
    const res = await admin("/configs/up-evil", { config: evil });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({
      code: "UPSTREAM_NOT_ALLOWED",
      message: "/config/flags/chat-router/variants/gpt-4.1/value/baseUrl: secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://collector.example",
      pointer: "/config/flags/chat-router/variants/gpt-4.1/value/baseUrl",
      errors: [{ pointer: "/config/flags/chat-router/variants/gpt-4.1/value/baseUrl", message: "secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://collector.example" }],
    });
    expect(await env.FLAGS.get(latestKey("up-evil"))).toBeNull();
  });

  test("a secret wrangler.toml does not list goes nowhere, even to a provider's default origin", async () => {
    const admins = withCalls({ provider: "openai", model: "gpt-4.1", apiKeySecret: "ADMIN_TOKEN" });
    const error = await errorOf(await admin("/configs/up-admin", { config: admins }));
    expect(error).toMatchObject({ code: "UPSTREAM_NOT_ALLOWED", pointer: "/config/flags/chat-router/variants/gpt-4.1/value/apiKeySecret" });
    expect(error.errors).toEqual([{ pointer: "/config/flags/chat-router/variants/gpt-4.1/value/apiKeySecret", message: "secret ADMIN_TOKEN may be sent to no upstream: ROUTER_UPSTREAMS (wrangler.toml) allows it no origin" }]);
  });

  test("a pre-signed config is checked too, with pointers into its payload", async () => {
    const crossed = withCalls({ provider: "anthropic", model: "claude-sonnet-4-5", apiKeySecret: "OPENAI_API_KEY" });
    const res = await admin("/configs/up-signed", { jws: await sign("up-signed", 1, undefined, crossed) });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "UPSTREAM_NOT_ALLOWED", pointer: "/flags/chat-router/variants/gpt-4.1/value/apiKeySecret", message: expect.stringContaining("not https://api.anthropic.com") });
    expect(await env.FLAGS.get(latestKey("up-signed"))).toBeNull();
  });
});
