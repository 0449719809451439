// The one publish path over a ConfigStore (a Map here; KV inside the Worker's ConfigWriter and
// `wrangler kv` in the CLI): the next-version rule, the "version already taken" check, the order
// of writes, and the pure edits (kill switch, signing claims stripped).
import { describe, expect, test } from "vitest";
import type { FlagConfig } from "@edgeflag/config-schema";
import {
  ConfigChangeError, configKey, envOfLatestKey, killSwitch, latestKey, nextFreeVersion, publish, readLatestVersion, readVersion, stripSigningClaims,
  versionOfKey, type ConfigStore, type VersionRecord,
} from "@edgeflag/config-schema/domain";

/** A store as KV lays it out, logging every write in order. */
class MapStore implements ConfigStore {
  readonly kv = new Map<string, { value: string; metadata: unknown }>();
  readonly writes: string[] = [];
  async readLatest(env: string) {
    const entry = this.kv.get(latestKey(env));
    return entry === undefined ? null : Number(entry.value);
  }
  async readJws(env: string, version: number) {
    return this.kv.get(configKey(env, version))?.value ?? null;
  }
  async writeVersion(env: string, jws: string, record: VersionRecord) {
    for (const [key, value, metadata] of [[configKey(env, record.version), jws, record], [latestKey(env), String(record.version), { version: record.version }]] as const) {
      this.kv.set(key, { value, metadata });
      this.writes.push(key);
    }
  }
}

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const sign = async (version: number) => ({ jws: `jws-v${version}`, kid: "k1" });
const change = { actor: "ana", action: "publish" as const };
const conflict = (p: Promise<unknown>) => p.then(() => null, (e: ConfigChangeError) => ({ code: e.code, message: e.message, latest: e.latest }));

describe("publish", () => {
  test("signs the first version as 1, then latest + 1; writes the version before the pointer", async () => {
    const store = new MapStore();
    expect(await publish(store, { env: "prod", change, sign, now: NOW })).toEqual({ env: "prod", version: 1, kid: "k1" });
    expect(await publish(store, { env: "prod", change: { ...change, reason: "second" }, sign, now: NOW })).toEqual({ env: "prod", version: 2, kid: "k1" });
    expect(store.writes).toEqual(["config:prod:1", "config:prod:latest", "config:prod:2", "config:prod:latest"]);
    expect(store.kv.get("config:prod:2")).toEqual({ value: "jws-v2", metadata: { version: 2, at: "2026-11-23T12:00:00.000Z", actor: "ana", action: "publish", reason: "second", kid: "k1" } });
    expect(store.kv.get("config:prod:latest")).toEqual({ value: "2", metadata: { version: 2 } });
  });

  test("a version stored without its pointer moved (a publish cut off halfway) is skipped", async () => {
    const store = new MapStore();
    await publish(store, { env: "prod", change, sign });
    store.kv.set(configKey("prod", 2), { value: "orphan", metadata: {} });
    expect((await publish(store, { env: "prod", change, sign })).version).toBe(3);
    expect(store.kv.get(configKey("prod", 2))!.value).toBe("orphan");
  });

  test("a config signed elsewhere keeps its version; 409 naming the latest when it is not newer or taken", async () => {
    const store = new MapStore();
    expect(await publish(store, { env: "prod", change, signed: { jws: "cli-v5", version: 5, kid: "cli" } })).toEqual({ env: "prod", version: 5, kid: "cli" });
    expect(await conflict(publish(store, { env: "prod", change, signed: { jws: "again", version: 5, kid: "cli" } }))).toEqual({
      code: "VERSION_CONFLICT", message: 'version 5 is not newer than the latest version 5 of env "prod"', latest: 5,
    });
    store.kv.set(configKey("prod", 7), { value: "orphan", metadata: {} });
    expect(await conflict(publish(store, { env: "prod", change, signed: { jws: "x", version: 7, kid: "cli" } }))).toEqual({
      code: "VERSION_CONFLICT", message: 'version 7 of env "prod" already exists (a concurrent publish?); try again', latest: 7,
    });
    expect(store.kv.get(configKey("prod", 7))!.value).toBe("orphan");
  });

  test("the record fits KV's 1024-byte metadata and a reason is never cut inside a character", async () => {
    const store = new MapStore();
    await publish(store, { env: "prod", change: { ...change, reason: "🚀".repeat(400) }, sign });
    const record = store.kv.get(configKey("prod", 1))!.metadata as VersionRecord;
    expect(new TextEncoder().encode(JSON.stringify(record)).byteLength).toBeLessThanOrEqual(1024);
    expect(record.reason).toBe("🚀".repeat(Array.from(record.reason!).length));
  });
});

describe("nextFreeVersion", () => {
  test("the first untaken version above the latest; VERSION_CONFLICT after 100 taken", async () => {
    expect(await nextFreeVersion(0, () => false)).toBe(1);
    expect(await nextFreeVersion(4, (v) => v === 5 || v === 6)).toBe(7);
    expect(await conflict(nextFreeVersion(4, () => true, "prod"))).toEqual({
      code: "VERSION_CONFLICT", message: 'versions 5 to 104 of env "prod" are all taken without the latest pointer naming them', latest: 4,
    });
  });
});

describe("reading versions", () => {
  test("ENV_NOT_FOUND and VERSION_NOT_FOUND (pointing at /to) name the env", async () => {
    const store = new MapStore();
    await expect(readLatestVersion(store, "prod")).rejects.toMatchObject({ code: "ENV_NOT_FOUND", message: 'nothing was published for env "prod"' });
    await publish(store, { env: "prod", change, sign });
    expect(await readLatestVersion(store, "prod")).toEqual({ version: 1, jws: "jws-v1" });
    expect(await readVersion(store, "prod", 1)).toBe("jws-v1");
    await expect(readVersion(store, "prod", 3)).rejects.toMatchObject({ code: "VERSION_NOT_FOUND", message: 'env "prod" has no version 3', pointer: "/to" });
  });
});

describe("edits and keys", () => {
  const config: FlagConfig = {
    flags: { chat: { enabled: true, variants: { a: { value: 1 }, b: { value: 2 } }, defaultVariant: "a", allocations: [{ key: "x", splits: [{ variant: "b", weight: 1 }] }] } },
  };

  test("killSwitch disables the flag to serve the variant and leaves the input alone", () => {
    expect(killSwitch(config, "chat", "b").flags.chat).toEqual({ ...config.flags.chat, enabled: false, defaultVariant: "b" });
    expect(config.flags.chat!.enabled).toBe(true);
    expect(() => killSwitch(config, "nope", "a")).toThrow(expect.objectContaining({ code: "UNKNOWN_FLAG", pointer: "/flag", message: 'the latest config has no flag "nope"' }));
    expect(() => killSwitch(config, "chat", "c")).toThrow(expect.objectContaining({ code: "UNKNOWN_VARIANT", pointer: "/variant", message: 'flag "chat" has no variant "c" (it has "a", "b")' }));
    expect(() => killSwitch(config, "toString", "a")).toThrow(expect.objectContaining({ code: "UNKNOWN_FLAG" }));
  });

  test("stripSigningClaims keeps exactly the config", () => {
    expect(stripSigningClaims({ ...config, env: "prod", version: 3, iat: 1, exp: 2 })).toEqual(config);
  });

  test("key names", () => {
    expect([configKey("prod", 7), latestKey("prod"), versionOfKey("prod", "config:prod:12"), versionOfKey("prod", "config:prod:latest"), versionOfKey("prod", "config:prod:012")]).toEqual(["config:prod:7", "config:prod:latest", 12, null, null]);
    expect([envOfLatestKey("config:prod:latest"), envOfLatestKey("config:prod:3"), envOfLatestKey("other:latest")]).toEqual(["prod", null, null]);
  });
});
