// The root of trust with the CLI, as a user runs it: `keys root`, `keys sign-set`, and the
// three-step rotation of the usage text, checked by an SDK client that pins only the root's
// thumbprint: during the grace period both keys verify; after it, the old key verifies nothing.
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { createClient, MemoryStorage } from "@edgeflag/sdk";
import { edgeflag } from "./helpers.ts";

let dir = "";
const demo = "examples/demo-config.json";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-keyset-"));
});

/** Runs the CLI and returns its standard output, trimmed; a non-zero exit fails the test. */
async function cli(...args: string[]): Promise<string> {
  const r = await edgeflag(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe("keys root and keys sign-set", () => {
  test("the three-step rotation: add the new key, sign with it, remove the old one; a client pinning the root follows without a redeploy", async () => {
    const thumbprint = await cli("keys", "root", "--alg", "EdDSA", "--out", join(dir, "root"));
    expect(thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(dir, "root", "private.jwk"))).mode & 0o777).toBe(0o600);
    await cli("keys", "generate", "--out", join(dir, "k1"));
    await cli("keys", "generate", "--out", join(dir, "k2"));
    const signSet = (version: number, ...keys: string[]) => cli("keys", "sign-set", "--root", join(dir, "root", "private.jwk"), ...keys.flatMap((k) => ["--keys", join(dir, k, "jwks.json")]), "--version", String(version), "--ttl", "30d");
    const signWith = (key: string, version: number) => cli("sign", demo, "--key", join(dir, key, "private.jwk"), "--env", "prod", "--version", String(version));
    const served = { set: await signSet(1, "k1"), config: await signWith("k1", 1) };
    let now = Date.now();
    const client = createClient({
      baseUrl: "https://flags.test", env: "prod", rootKey: thumbprint, now: () => now, storage: new MemoryStorage(), pollIntervalMs: 0, flushIntervalMs: 60_000,
      source: { latest: async () => served.config },
      fetch: async () => new Response(served.set),
    });
    const errors: string[] = [];
    client.on("error", (e) => errors.push(`${e.code}: ${e.message}`));
    expect((await client.ready()).version).toBe(1);
    served.set = await signSet(2, "k1", "k2"); // 1. both keys listed
    served.config = await signWith("k1", 2); // still signed with k1: verifies during the grace period
    await client.refresh();
    served.config = await signWith("k2", 3); // 2. signed with k2
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(3);
    served.set = await signSet(3, "k2"); // 3. k1 removed
    served.config = await signWith("k1", 4); // a leaked k1 signs nothing any more…
    now += 5 * 60_000; // …once clients read the key set again (at most 5 minutes after the last read)
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(3);
    const k1 = JSON.parse(await readFile(join(dir, "k1", "public.jwk"), "utf8"));
    expect(errors).toEqual([`UNKNOWN_KID: no trusted key has kid "${k1.kid}"`]);
  });

  test("user errors exit 1 with a sentence: no root, no keys, a bad version, the root among the keys", async () => {
    await cli("keys", "root", "--out", join(dir, "r2"));
    const root = join(dir, "r2", "private.jwk");
    const cases: Array<[string[], string]> = [
      [["--keys", join(dir, "r2", "public.jwk"), "--version", "1"], "edgeflag keys: --root is required (the root's private.jwk, from edgeflag keys root)"],
      [["--root", root, "--version", "1"], "edgeflag keys: --keys is required (a JWK Set or public JWK; repeat it to list several)"],
      [["--root", root, "--keys", join(dir, "r2", "public.jwk"), "--version", "0"], "edgeflag keys: --version must be a whole number of at least 1"],
      [["--root", root, "--keys", join(dir, "r2", "public.jwk"), "--version", "1"], "edgeflag keys: the root key must not be in the key set it signs"],
    ];
    for (const [args, message] of cases) {
      const r = await edgeflag(["keys", "sign-set", ...args]);
      expect([r.code, r.stderr.split("\n")[0]], args.join(" ")).toEqual([1, message]);
    }
  });
});

describe("verify --root --key-set", () => {
  test("verifies a config with the keys of the set the pinned root signed; a set another key signed is refused", async () => {
    const thumbprint = await cli("keys", "root", "--out", join(dir, "vroot"));
    await cli("keys", "root", "--out", join(dir, "forger"));
    await cli("keys", "generate", "--out", join(dir, "vk"));
    const set = (rootDir: string) => cli("keys", "sign-set", "--root", join(dir, rootDir, "private.jwk"), "--keys", join(dir, "vk", "jwks.json"), "--version", "1");
    await writeFile(join(dir, "good.jws"), await set("vroot"));
    await writeFile(join(dir, "forged.jws"), await set("forger"));
    await writeFile(join(dir, "config.jws"), await cli("sign", demo, "--key", join(dir, "vk", "private.jwk"), "--env", "prod", "--version", "3"));
    const kid = JSON.parse(await readFile(join(dir, "vk", "public.jwk"), "utf8")).kid;
    for (const root of [thumbprint, join(dir, "vroot", "public.jwk")]) {
      const ok = await edgeflag(["verify", join(dir, "config.jws"), "--root", root, "--key-set", join(dir, "good.jws"), "--env", "prod"]);
      expect([ok.code, ok.stdout.split("\n")[0]!.replace(/expires .*/, "")]).toEqual([0, `verified: env prod, version 3, signed by ${kid} (ES256), `]);
    }
    const forged = await edgeflag(["verify", join(dir, "config.jws"), "--root", thumbprint, "--key-set", join(dir, "forged.jws"), "--env", "prod"]);
    expect([forged.code, forged.stderr.trim()]).toEqual([1, "edgeflag verify: key set refused: UNKNOWN_KID: not signed by the pinned root"]);
  });
});
