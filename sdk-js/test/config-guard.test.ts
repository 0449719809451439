// The guard is the one mechanism behind every "keep the last good config": key loading with
// rotation, a loader that fails (no verdict), and two offers that finish out of order.
import { describe, expect, test } from "vitest";
import { checkConfigShape, ConfigGuardCore, generateSigningKey, signConfig, type JWK } from "../src/signing/index.ts";
import type { FlagConfig } from "@edgeflag/config-schema";

const config: FlagConfig = { flags: { f: { enabled: true, defaultVariant: "off", variants: { off: { value: false } }, allocations: [] } } };

describe("ConfigGuardCore", () => {
  test("a key loader is asked again once for an unknown kid (rotation); a failing loader is KEYS_UNAVAILABLE", async () => {
    const [oldKey, newKey] = await Promise.all([generateSigningKey("ES256"), generateSigningKey("EdDSA")]);
    let served: JWK[] = [oldKey.publicJwk];
    const calls: boolean[] = [];
    let fetched: JWK[] | null = null; // like a JWKS URL: fetched once, again only when asked to refresh
    const loader = async (refresh: boolean) => {
      calls.push(refresh);
      if (!fetched || refresh) fetched = [...served];
      return fetched;
    };
    const guard = new ConfigGuardCore({ env: "e", checkPayload: checkConfigShape, keys: loader });
    expect((await guard.offer(await signConfig(config, { key: oldKey.privateJwk, env: "e", version: 1 }))).accepted).toBe(true);
    served = [oldKey.publicJwk, newKey.publicJwk];
    expect((await guard.offer(await signConfig(config, { key: newKey.privateJwk, env: "e", version: 2 }))).accepted).toBe(true);
    expect(calls).toEqual([false, false, true]);

    const down = new ConfigGuardCore({ env: "e", checkPayload: checkConfigShape, keys: () => Promise.reject(new Error("offline")) });
    const r = await down.offer(await signConfig(config, { key: oldKey.privateJwk, env: "e", version: 3 }));
    expect(r.accepted ? null : [r.error.code, r.error.message]).toEqual(["KEYS_UNAVAILABLE", "the trusted keys could not be loaded: offline"]);
  });

  test("of two offers verifying at once, an older one finishing last is refused and the floor stays", async () => {
    const { privateJwk, publicJwk } = await generateSigningKey("ES256");
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    let first = true;
    const keys = async () => {
      if (first) {
        first = false;
        await gate; // the older config's verification is held back
      }
      return [publicJwk];
    };
    const guard = new ConfigGuardCore({ env: "e", checkPayload: checkConfigShape, keys });
    const older = guard.offer(await signConfig(config, { key: privateJwk, env: "e", version: 5 }));
    expect((await guard.offer(await signConfig(config, { key: privateJwk, env: "e", version: 6 }))).accepted).toBe(true);
    release();
    const late = await older;
    expect(late.accepted ? null : late.error.code).toBe("ROLLBACK");
    expect([guard.minVersion, guard.current?.version]).toEqual([6, 6]);
  });
});
