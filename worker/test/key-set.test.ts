// GET /.well-known/edgeflag-keys.jws serves the root-signed key set from KEY_SET, and a client
// that pins only the root's thumbprint verifies this Worker's configs through it; a key set the
// root did not sign (a fresh key, a higher version) is refused and the keys the root signed stay.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, test } from "vitest";
import { createClient, MemoryStorage, type EdgeflagClient } from "@edgeflag/sdk";
import { generateSigningKey, signConfig, signKeySet, type JWK } from "@edgeflag/sdk/signing";
import testKeySet from "./fixtures/test-key-set.json" with { type: "json" };
import { CONFIG, ORIGIN, UNTRUSTED_KEY, call, callWith, errorOf, publish, text } from "./helpers.ts";

const ROOT_PIN = testKeySet.rootPublic.kid;
const PATH = "/.well-known/edgeflag-keys.jws";
const clients: EdgeflagClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

describe("GET /.well-known/edgeflag-keys.jws", () => {
  test("200 with KEY_SET as application/jose, its version as the ETag, cacheable, CORS open; 304 and HEAD", async () => {
    const res = await call(PATH);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(["Content-Type", "ETag", "Cache-Control", "Access-Control-Allow-Origin"].map((h) => [h, res.headers.get(h)]))).toEqual({
      "Content-Type": "application/jose", ETag: '"1"', "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*",
    });
    expect(await text(res)).toBe(testKeySet.jws);
    expect((await call(PATH, { headers: { "If-None-Match": '"1"' } })).status).toBe(304);
    const head = await call(PATH, { method: "HEAD" });
    expect([head.status, await text(head)]).toEqual([200, ""]);
  });

  test("KEY_SET unset is a 404 NO_KEY_SET; one that is no JWS a 500 MISCONFIGURED", async () => {
    const missing = await callWith({ ...env, KEY_SET: "" }, PATH);
    expect([missing.status, await errorOf(missing)]).toEqual([404, { code: "NO_KEY_SET", message: "no key set is published here: set the KEY_SET secret (edgeflag keys sign-set)" }]);
    const bad = await callWith({ ...env, KEY_SET: "not-a-jws" }, PATH);
    expect([bad.status, await errorOf(bad)]).toEqual([500, { code: "MISCONFIGURED", message: "KEY_SET is not a signed key set (edgeflag keys sign-set)" }]);
  });
});

describe("a client that pins the root", () => {
  /** The client's requests go to this Worker, with `keySet` served instead of KEY_SET when given. */
  function pinned(name: string, served: { keySet?: string }) {
    const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const withSet = { ...env, KEY_SET: served.keySet ?? env.KEY_SET };
      return new URL(request.url).pathname === PATH ? callWith(withSet, PATH) : exports.default.fetch(request);
    };
    const client = createClient({ baseUrl: ORIGIN, env: name, rootKey: ROOT_PIN, fetch: fetch as typeof globalThis.fetch, storage: new MemoryStorage(), pollIntervalMs: 0, flushIntervalMs: 60_000 });
    clients.push(client);
    return client;
  }

  test("verifies the Worker's config with the keys of the served key set", async () => {
    const version = await publish("keyset-ok");
    expect(await pinned("keyset-ok", {}).ready()).toEqual({ ok: true, version, source: "network" });
  });

  test("a forged key set (a fresh key, version 99, not signed by the root) and a config signed with it are refused; the root's keys are kept", async () => {
    const v1 = await publish("keyset-forged");
    const served: { keySet?: string } = {};
    const client = pinned("keyset-forged", served);
    const errors: Array<{ code: string }> = [];
    client.on("error", (e) => errors.push(e));
    expect((await client.ready()).version).toBe(v1);
    const forger = await generateSigningKey("EdDSA");
    served.keySet = await signKeySet({ keys: [UNTRUSTED_KEY as JWK] }, { root: forger.privateJwk, version: 99 });
    // Whoever controls the config host serves a version-99 config signed with the fresh key.
    await env.FLAGS.put("config:keyset-forged:99", await signConfig(CONFIG, { key: UNTRUSTED_KEY as JWK, env: "keyset-forged", version: 99 }));
    await env.FLAGS.put("config:keyset-forged:latest", "99");
    await client.refresh();
    expect(errors.map((e) => e.code)).toEqual(["KEY_SET_REFUSED"]);
    expect(client.evaluate("chat-model", "x", { subject: "u" }).version).toBe(v1);
    served.keySet = undefined;
    const v2 = await publish("keyset-forged"); // the real publisher, with a key the root listed
    await client.refresh();
    expect(client.evaluate("chat-model", "x", { subject: "u" }).version).toBe(v2);
  });
});
