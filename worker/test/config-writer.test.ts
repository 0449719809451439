// The single writer, under real concurrency inside workerd: many publishes, rollbacks, kill
// switches and a renewal on one env at once. Each change that hears 201 is a distinct version
// whose stored content is exactly that change applied to the version before it; a pre-signed
// version taken by another request is a 409 naming the version it lost to; the history is complete.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, test } from "vitest";
import { decodeSignedConfig, signConfig } from "@edgeflag/sdk/signing";
import type { FlagConfig } from "@edgeflag/config-schema";
import { configKey, killSwitch, latestKey, stripSigningClaims, type VersionRecord } from "@edgeflag/config-schema/domain";
import worker from "../src/index.ts";
import { CLI_KEY, CONFIG, admin, errorOf, publish, sign, withModel } from "./helpers.ts";

const contentOf = async (name: string, version: number): Promise<FlagConfig> => stripSigningClaims(decodeSignedConfig((await env.FLAGS.get(configKey(name, version)))!).payload);
const recordOf = async (name: string, version: number) => (await env.FLAGS.getWithMetadata<VersionRecord>(configKey(name, version))).metadata!;
const history = async (name: string) => (await (await admin(`/configs/${name}/history`)).json<{ latest: number; versions: VersionRecord[] }>());
const versionOf = async (res: Response) => {
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json<{ version: number }>()).version;
};
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => to - i);

describe("the ConfigWriter Durable Object: one writer per env", () => {
  test("8 concurrent publishes get 8 distinct versions, each storing the config its caller sent", async () => {
    const models = Array.from({ length: 8 }, (_, i) => `model-${i}`);
    const answers = await Promise.all(models.map((m) => admin("/configs/race-publish", { config: withModel(m), reason: m })));
    const versions = await Promise.all(answers.map(versionOf));
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, v] of versions.entries()) {
      expect((await contentOf("race-publish", v)).flags["chat-model"]!.variants["gpt-4"]!.value).toBe(models[i]);
      expect(await recordOf("race-publish", v)).toMatchObject({ version: v, action: "publish", reason: models[i] });
    }
    expect(await env.FLAGS.get(latestKey("race-publish"))).toBe("8");
    const h = await history("race-publish");
    expect([h.latest, h.versions.map((r) => r.version)]).toEqual([8, range(1, 8)]);
  });

  test("8 concurrent pre-signed publishes of one version: one 201, seven 409 naming the winner", async () => {
    await publish("race-signed");
    const jwss = await Promise.all(Array.from({ length: 8 }, (_, i) => signConfig(withModel(`cli-${i}`), { key: CLI_KEY, env: "race-signed", version: 2 })));
    const answers = await Promise.all(jwss.map((jws) => admin("/configs/race-signed", { jws })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = answers.findIndex((r) => r.status === 201);
    for (const res of answers.filter((r) => r.status === 409)) {
      expect(await errorOf(res)).toEqual({ code: "VERSION_CONFLICT", message: 'version 2 is not newer than the latest version 2 of env "race-signed"', latest: 2 });
    }
    expect(await env.FLAGS.get(configKey("race-signed", 2))).toBe(jwss[winner]);
  });

  test("publishes, rollbacks and kill switches at once: none lost, each applied to the version before it", async () => {
    const name = "race-mixed";
    await publish(name, withModel("base"));
    await publish(name, withModel("second"));
    const kills = [["chat-model", "fixed"], ["new-checkout", "off"], ["chat-model", "gpt-4"], ["new-checkout", "on"]] as const;
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => admin(`/configs/${name}`, { config: withModel(`m${i}`) })),
      ...[1, 2, 1, 2].map((to) => admin(`/configs/${name}/rollback`, { to })),
      ...kills.map(([flag, variant]) => admin(`/configs/${name}/kill`, { flag, variant })),
    ]);
    const versions = await Promise.all(answers.map(versionOf));
    expect([...versions].sort((a, b) => a - b)).toEqual(range(3, 16).reverse());
    for (const v of versions) {
      const record = await recordOf(name, v);
      const content = await contentOf(name, v);
      if (record.action === "kill") expect(content).toEqual(killSwitch(await contentOf(name, v - 1), record.flag!, record.variant!));
      if (record.action === "rollback") expect(content).toEqual(await contentOf(name, record.from!));
    }
    const h = await history(name);
    expect([h.latest, h.versions.map((r) => r.version)]).toEqual([16, range(1, 16)]);
    expect(h.versions.filter((r) => r.action === "kill").map((r) => `${r.flag}=${r.variant}`).sort()).toEqual(kills.map((k) => k.join("=")).sort());
    // The writer's own table holds the same history as KV's metadata.
    const stub = env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName(name));
    const rows = await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<{ version: number; record: string }>("SELECT version, record FROM versions ORDER BY version").toArray());
    expect(rows.map((r) => r.version)).toEqual(range(1, 16).reverse());
    for (const row of rows) expect(JSON.parse(row.record)).toEqual(await recordOf(name, row.version));
  });

  test("a renewal racing publishes takes its own version and renews the latest content it found", async () => {
    const name = "race-renew";
    await publish(name, withModel("base"));
    // 25 days on, every config signed now (30-day TTL) is within the week before expiry: the cron renews whichever is latest.
    const ctx = createExecutionContext();
    const [, ...answers] = await Promise.all([
      worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 25 * 86_400_000, cron: "17 * * * *" }), env, ctx).then(() => waitOnExecutionContext(ctx)),
      ...["a", "b", "c"].map((m) => admin(`/configs/${name}`, { config: withModel(m) })),
    ]);
    const versions = await Promise.all(answers.map(versionOf));
    const h = await history(name);
    expect(h.versions.map((r) => r.version)).toEqual(range(1, 5));
    const renewals = h.versions.filter((r) => r.action === "renew");
    expect(renewals).toHaveLength(1);
    const renewal = renewals[0]!;
    expect(renewal.from).toBe(renewal.version - 1);
    expect(await contentOf(name, renewal.version)).toEqual(await contentOf(name, renewal.from!));
    expect([...versions, renewal.version].sort()).toEqual([2, 3, 4, 5]);
  });

  test("versions written into KV by another path (the CLI's wrangler kv) are never overwritten", async () => {
    const name = "kv-outside";
    await publish(name);
    // The CLI on the KV path writes version 2 and moves the pointer; an orphan 4 is a publish cut off halfway.
    for (const v of [2, 4]) await env.FLAGS.put(configKey(name, v), await sign(name, v), { metadata: { version: v, at: "", actor: "cli", action: "publish" } });
    await env.FLAGS.put(latestKey(name), "2", { metadata: { version: 2 } });
    expect(await publish(name)).toBe(3);
    expect(await publish(name)).toBe(5);
    const h = await history(name);
    expect([h.latest, h.versions.map((r) => [r.version, r.actor])]).toEqual([5, [[5, "bootstrap"], [4, "cli"], [3, "bootstrap"], [2, "cli"], [1, "bootstrap"]]]);
  });
});
