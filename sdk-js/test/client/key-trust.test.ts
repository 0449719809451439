// Whom the client trusts: pinned keys stay pinned whatever the config host serves, and a pinned
// root verifies the key set it fetches (signature, typ, alg, expiry, version floor) before any
// config is checked with the keys it lists.
import { describe, expect, test } from "vitest";
import { createClient, MemoryStorage, type ClientOptions } from "../../src/index.ts";
import { generateSigningKey, signConfig, signKeySet } from "../../src/signing/index.ts";
import { demoConfig, sign, trusted } from "./flag-server.ts";

const BASE = "https://flags.test";

/** A client whose config source and fetch are in the test's hands; records every URL fetched. */
function setup(options: Partial<ClientOptions>, serve: { config: string; fetch?: (url: string) => Response }) {
  const fetched: string[] = [];
  const errors: Array<{ code: string; message: string }> = [];
  const client = createClient({
    baseUrl: BASE, env: "test", pollIntervalMs: 0, flushIntervalMs: 60_000, storage: new MemoryStorage(),
    source: { latest: async () => serve.config },
    fetch: async (input) => {
      fetched.push(String(input));
      return serve.fetch ? serve.fetch(String(input)) : new Response("not found", { status: 404 });
    },
    ...options,
  });
  client.on("error", (e) => errors.push(e as { code: string; message: string }));
  return { client, fetched, errors };
}

describe("pinned keys", () => {
  test("with keys and jwksUrl, a fresh key and a version-99 config from the config host are refused; the pinned keys are kept", async () => {
    const fresh = await generateSigningKey();
    const serve = { config: await sign(demoConfig(), 1), fetch: () => Response.json({ keys: [fresh.publicJwk] }) };
    const { client, fetched, errors } = setup({ keys: trusted, jwksUrl: `${BASE}/.well-known/jwks.json` }, serve);
    expect((await client.ready()).version).toBe(1);
    serve.config = await signConfig(demoConfig("evil"), { key: fresh.privateJwk, env: "test", version: 99 });
    await client.refresh();
    expect(errors).toEqual([{ code: "UNKNOWN_KID", message: `no trusted key has kid "${fresh.publicJwk.kid}"` }]);
    expect(client.evaluate("chat-model", "x").version).toBe(1);
    expect(fetched).toEqual([]); // nothing fetched could have added a key
    serve.config = await sign(demoConfig(), 2);
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(2); // the pinned key still verifies
  });
});

const root = await generateSigningKey("EdDSA");
const signer = await generateSigningKey();

describe("a pinned root key", () => {
  const KEY_SET_URL = `${BASE}/.well-known/edgeflag-keys.jws`;
  const keySet = (keys: object[], version: number, key = root.privateJwk) => signKeySet({ keys }, { root: key, version });
  const signed = (version: number, key = signer.privateJwk, value = "gpt-4") => signConfig(demoConfig(value), { key, env: "test", version });

  test("pinned by thumbprint: configs verify with the keys of the root-signed key set, and a rotation needs no redeploy", async () => {
    const serve = { config: await signed(1), set: await keySet([signer.publicJwk], 1), fetch: (url: string) => new Response(url === KEY_SET_URL ? serve.set : "", { status: url === KEY_SET_URL ? 200 : 404 }) };
    const { client, fetched, errors } = setup({ rootKey: root.publicJwk.kid }, serve);
    expect(await client.ready()).toMatchObject({ ok: true, version: 1 });
    const next = await generateSigningKey();
    serve.set = await keySet([signer.publicJwk, next.publicJwk], 2); // step 1: add the new key
    serve.config = await signed(2, next.privateJwk); // step 2: sign with it
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(2);
    expect(fetched).toEqual([KEY_SET_URL, KEY_SET_URL]); // once at start, once for the unknown kid
    expect(errors).toEqual([]);
  });

  test("a forged key set (a fresh key, signed by a key that is not the root) is refused; the keys the root signed are kept", async () => {
    const storage = new MemoryStorage();
    const serve = { config: await signed(1), set: await keySet([signer.publicJwk], 3), fetch: () => new Response(serve.set) };
    const { client, errors } = setup({ rootKey: root.publicJwk, storage }, serve);
    expect((await client.ready()).version).toBe(1);
    const forger = await generateSigningKey("EdDSA");
    const fresh = await generateSigningKey();
    serve.set = await keySet([fresh.publicJwk], 99, forger.privateJwk);
    serve.config = await signed(99, fresh.privateJwk, "evil");
    await client.refresh();
    expect(errors.map((e) => e.code)).toEqual(["KEY_SET_REFUSED"]);
    expect(errors[0]!.message).toBe("key set refused: UNKNOWN_KID: no trusted key has kid \"" + forger.publicJwk.kid + "\"");
    expect(client.evaluate("chat-model", "x").version).toBe(1);
    serve.config = await signed(2);
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(2); // the root-signed key still verifies
    expect(storage.getItem("edgeflag:test@flags.test:keySetVersion")).toBe("3");
  });

  test("an older key set than the one accepted before is refused, even after a reload (ROLLBACK)", async () => {
    const storage = new MemoryStorage();
    const serve = { config: await signed(1), set: await keySet([signer.publicJwk], 5), fetch: () => new Response(serve.set) };
    expect((await setup({ rootKey: root.publicJwk.kid, storage }, serve).client.ready()).ok).toBe(true);
    serve.set = await keySet([signer.publicJwk], 4);
    const { client, errors } = setup({ rootKey: root.publicJwk.kid, storage }, serve);
    expect(await client.ready()).toMatchObject({ ok: false, error: { code: "KEY_SET_REFUSED" } });
    expect(errors[0]!.message).toBe("key set refused: ROLLBACK: version 4 is older than 5, already accepted");
  });

  test("every 5 minutes the set is read again: a set that lost a key takes effect; a refused one keeps the last good set (until it expires)", async () => {
    let now = Date.now();
    const second = await generateSigningKey();
    const serve = { config: await signed(1), set: await keySet([signer.publicJwk, second.publicJwk], 1), fetch: () => new Response(serve.set) };
    const { client, errors } = setup({ rootKey: root.publicJwk.kid, now: () => now }, serve);
    expect((await client.ready()).version).toBe(1);
    serve.set = await keySet([signer.publicJwk], 2, (await generateSigningKey("EdDSA")).privateJwk); // forged
    serve.config = await signed(2, second.privateJwk);
    now += 300_000;
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(2); // the re-read was refused: the last good set verified it
    expect(errors.map((e) => e.code)).toEqual(["KEY_SET_REFUSED"]);
    serve.set = await keySet([signer.publicJwk], 3); // the root removed `second`
    serve.config = await signed(3, second.privateJwk);
    now += 300_000;
    await client.refresh();
    expect(client.evaluate("chat-model", "x").version).toBe(2);
    expect(errors.map((e) => e.code)).toEqual(["KEY_SET_REFUSED", "UNKNOWN_KID"]);
  });

  test("keys pinned next to the root verify even when the key set cannot be read", async () => {
    const serve = { config: await sign(demoConfig(), 1) }; // signed with the pinned key; every fetch is a 404
    const { client, errors } = setup({ keys: trusted, rootKey: root.publicJwk.kid }, serve);
    expect(await client.ready()).toMatchObject({ ok: true, version: 1 });
    expect(errors).toEqual([]);
  });

  test("without a pin, a bare jwksUrl trusts whoever serves it; with only a root, the JWKS URL is never fetched", async () => {
    const serve = { config: await signed(1), set: await keySet([signer.publicJwk], 1), fetch: (url: string) => (url === KEY_SET_URL ? new Response(serve.set) : Response.json({ keys: [signer.publicJwk] })) };
    const { client, fetched } = setup({ rootKey: root.publicJwk.kid, jwksUrl: `${BASE}/.well-known/jwks.json` }, serve);
    expect((await client.ready()).version).toBe(1);
    expect(fetched).toEqual([KEY_SET_URL]);
  });
});
