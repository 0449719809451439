// keys → sign → verify → publish (local KV through wrangler) → history → rollback, as a user runs them.
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { edgeflag, run } from "./helpers.ts";

const wranglerBin = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");

let dir = "";
const demo = "examples/demo-config.json";
const rollout = "config-schema/vectors/valid/boolean-rollout.json";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-signed-"));
});

describe("keys, sign and verify", () => {
  test.each(["ES256", "EdDSA"])("keys generate --alg %s writes a 0600 private key and prints the public JWK Set with its thumbprint kid", async (alg) => {
    const out = join(dir, alg);
    const r = await edgeflag(["keys", "generate", "--alg", alg, "--out", out]);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    const priv = JSON.parse(await readFile(join(out, "private.jwk"), "utf8"));
    expect((await stat(join(out, "private.jwk"))).mode & 0o777).toBe(0o600);
    expect(printed.keys).toHaveLength(1);
    expect(printed.keys[0]).toMatchObject({ kid: priv.kid, alg, use: "sig" });
    expect(printed.keys[0].d).toBeUndefined();
    expect(r.stdout).not.toContain(priv.d);
    expect(priv.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("sign then verify round-trips; every refusal exits 1 with its code", async () => {
    const key = join(dir, "ES256", "private.jwk");
    const keys = join(dir, "ES256", "jwks.json");
    const signed = await edgeflag(["sign", demo, "--key", key, "--env", "staging", "--version", "4", "--ttl", "2h"]);
    expect(signed.code).toBe(0);
    const jws = signed.stdout.trim();
    const { payload, header } = decodeSignedConfig(jws);
    expect(payload).toMatchObject({ env: "staging", version: 4 });
    expect(payload.exp - payload.iat).toBe(7200);
    expect(header.alg).toBe("ES256");
    const ok = await edgeflag(["verify", "-", "--keys", keys, "--env", "staging", "--json"], { input: jws });
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, env: "staging", version: 4, flags: ["chat-model", "new-chat-ui", "summary-model"] });
    const wrongEnv = await edgeflag(["verify", "-", "--keys", keys, "--env", "production"], { input: jws });
    expect(wrongEnv).toMatchObject({ code: 1, stderr: 'edgeflag verify: WRONG_ENV: signed for env "staging", not "production"\n' });
    const older = await edgeflag(["verify", "-", "--keys", keys, "--env", "staging", "--min-version", "5"], { input: jws });
    expect(older.stderr).toMatch(/^edgeflag verify: ROLLBACK: /);
    const otherKey = await edgeflag(["verify", "-", "--keys", join(dir, "EdDSA", "jwks.json"), "--env", "staging"], { input: jws });
    expect(otherKey.stderr).toMatch(/^edgeflag verify: UNKNOWN_KID: /);
  });

  test("sign refuses an invalid config, listing its errors", async () => {
    await writeFile(join(dir, "bad.json"), JSON.stringify({ flags: { f: { enabled: true, variants: { a: { value: 1 } }, defaultVariant: "b", allocations: [] } } }));
    const r = await edgeflag(["sign", join(dir, "bad.json"), "--key", join(dir, "ES256", "private.jwk"), "--env", "e", "--version", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/flags/f/defaultVariant: defaultVariant names "b", which the flag does not define');
  });
});

describe("publish, history and rollback on local KV", () => {
  const local = () => ["--local", "--persist-to", join(dir, "state")];
  const where = () => [...local(), "--key", join(dir, "EdDSA", "private.jwk")];

  test("versions strictly increase; dry runs write nothing; a rollback is a new, higher version", async () => {
    const first = await edgeflag(["publish", demo, "--env", "prod", ...where(), "--reason", "launch", "--actor", "ana", "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ env: "prod", version: 1 });

    const dry = await edgeflag(["publish", rollout, "--env", "prod", ...where(), "--dry-run", "--json"]);
    expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, env: "prod", version: 2, from: 1, latestExpiresAt: expect.stringMatching(/^20\d\d-/), added: ["new-checkout"], removed: ["chat-model", "new-chat-ui", "summary-model"], changed: [], unchanged: [] });

    expect(JSON.parse((await edgeflag(["publish", rollout, "--env", "prod", ...where(), "--actor", "bo", "--json"])).stdout).version).toBe(2);
    const back = await edgeflag(["rollback", "--env", "prod", "--to", "1", ...where(), "--reason", "bad checkout", "--actor", "cy", "--json"]);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ env: "prod", version: 3, from: 1 });

    const history = JSON.parse((await edgeflag(["history", "--env", "prod", ...local(), "--json"])).stdout);
    expect(history.latest).toBe(3);
    expect(history.versions.map((v: Record<string, unknown>) => [v.version, v.action, v.actor, v.reason ?? null, v.from ?? null])).toEqual([
      [3, "rollback", "cy", "bad checkout", 1],
      [2, "publish", "bo", null, null],
      [1, "publish", "ana", "launch", null],
    ]);
    for (const v of history.versions) expect(Date.parse(v.at)).toBeGreaterThan(Date.now() - 600_000);
  }, 120_000);

  test("the shared publish on the KV path: an orphan version is skipped, the record fits KV, a missing version is named", async () => {
    const env = "shared";
    // A version stored without its pointer moved (a publish cut off halfway, or another writer's): never overwritten.
    const orphan = join(dir, "orphan.jws");
    await writeFile(orphan, (await edgeflag(["sign", demo, "--key", join(dir, "EdDSA", "private.jwk"), "--env", env, "--version", "1"])).stdout.trim());
    expect((await run(process.execPath, [wranglerBin, "kv", "key", "put", "config:shared:1", "--path", orphan, "--binding", "FLAGS", ...local()], { env: { ...process.env, WRANGLER_SEND_METRICS: "false" } })).stderr).not.toMatch(/ERROR/);
    const published = await edgeflag(["publish", demo, "--env", env, ...where(), "--reason", "🚀".repeat(400), "--json"]);
    expect(JSON.parse(published.stdout)).toMatchObject({ env, version: 2 });
    const { versions } = JSON.parse((await edgeflag(["history", "--env", env, ...local(), "--json"])).stdout);
    const record = versions.find((v: { version: number }) => v.version === 2);
    expect(new TextEncoder().encode(JSON.stringify(record)).byteLength).toBeLessThanOrEqual(1024);
    expect(record.reason).toBe("🚀".repeat(Array.from(record.reason as string).length));
    const missing = await edgeflag(["rollback", "--env", env, "--to", "9", ...where()]);
    expect(missing).toMatchObject({ code: 1, stderr: 'edgeflag rollback: VERSION_NOT_FOUND: env "shared" has no version 9\n' });
  }, 120_000);

  test("publish refuses a config that sends a key secret where wrangler.toml's ROUTER_UPSTREAMS does not allow it", async () => {
    const config = JSON.parse(await readFile(demo, "utf8"));
    config.flags["chat-model"].variants["gpt-4"].value = { provider: "openai-compatible", model: "gpt-4", apiKeySecret: "OPENAI_API_KEY", baseUrl: "https://collector.example/v1" };
    await writeFile(join(dir, "foreign.json"), JSON.stringify(config));
    const refused = await edgeflag(["publish", join(dir, "foreign.json"), "--env", "upstreams", ...where()]);
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toContain("/flags/chat-model/variants/gpt-4/value/baseUrl: secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://collector.example\n");
    // Another wrangler.toml that allows the origin: the same config passes (a dry run, nothing written).
    const toml = (await readFile("wrangler.toml", "utf8")).replace(/^ROUTER_UPSTREAMS = .*$/m, 'ROUTER_UPSTREAMS = { OPENAI_API_KEY = ["https://api.openai.com", "https://collector.example"], MOCK_LLM_KEY = ["http://127.0.0.1:8790"] }');
    await writeFile(join(dir, "wrangler.toml"), toml.replace(/^main = .*$/m, `main = "${join(process.cwd(), "worker/src/index.ts")}"`));
    const allowed = await edgeflag(["publish", join(dir, "foreign.json"), "--env", "upstreams", ...where(), "--wrangler-config", join(dir, "wrangler.toml"), "--dry-run", "--json"]);
    expect(allowed.stderr).toBe("");
    expect(JSON.parse(allowed.stdout)).toMatchObject({ dryRun: true, env: "upstreams", version: 1 });
  }, 60_000);

  test("publish refuses an invalid config before touching KV", async () => {
    const r = await edgeflag(["publish", join(dir, "bad.json"), "--env", "prod", ...where()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("/flags/f/defaultVariant");
  });
});
