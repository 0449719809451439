// The cron renews a signed config before it expires, as a new version; a fresh one is left alone.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, test } from "vitest";
import { decodeSignedConfig, signConfig } from "@edgeflag/sdk/signing";
import { configKey, latestKey, type VersionRecord } from "@edgeflag/config-schema/domain";
import worker from "../src/index.ts";
import { CLI_KEY, CONFIG, admin, call, text } from "./helpers.ts";

async function runCron(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("renewal before expiry", () => {
  test("a config expiring within a week is republished as a new version with a fresh exp", async () => {
    const jws = await signConfig(CONFIG, { key: CLI_KEY, env: "renew-soon", version: 1, ttlSeconds: 2 * 86400 });
    expect((await admin("/configs/renew-soon", { jws })).status).toBe(201);
    const fresh = await signConfig(CONFIG, { key: CLI_KEY, env: "renew-fresh", version: 1, ttlSeconds: 30 * 86400 });
    expect((await admin("/configs/renew-fresh", { jws: fresh })).status).toBe(201);

    await runCron(Date.now());

    const served = decodeSignedConfig(await text(await call("/v1/configs/renew-soon"))).payload;
    expect(served.version).toBe(2);
    expect(served.exp * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(served.flags).toEqual(CONFIG.flags);
    const { metadata } = await env.FLAGS.getWithMetadata<VersionRecord>(configKey("renew-soon", 2));
    expect(metadata).toMatchObject({ version: 2, actor: "edgeflag-cron", action: "renew", from: 1, reason: expect.stringMatching(/^renewed before expiry \(version 1 expires /) });
    expect(decodeSignedConfig(await text(await call("/v1/configs/renew-fresh"))).payload.version).toBe(1);
  });

  test("a latest pointer naming a missing version is skipped; the envs listed after it are still renewed", async () => {
    await env.FLAGS.put(latestKey("renew-a-dangling"), "3", { metadata: { version: 3 } });
    const jws = await signConfig(CONFIG, { key: CLI_KEY, env: "renew-after", version: 1, ttlSeconds: 86400 });
    expect((await admin("/configs/renew-after", { jws })).status).toBe(201);
    await runCron(Date.now());
    expect(decodeSignedConfig(await text(await call("/v1/configs/renew-after"))).payload.version).toBe(2);
    expect(await env.FLAGS.get(configKey("renew-a-dangling", 4))).toBeNull();
  });
});
