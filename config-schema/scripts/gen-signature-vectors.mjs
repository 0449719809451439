// Writes config-schema/vectors/signatures.json: signed configs and the attacks of TUF's list,
// each with the code verifyConfig must refuse it with. Keys are TEST-ONLY and kept in
// vectors/test-signing-keys.json (made on the first run), so regenerating keeps the same keys.
import { readFile, writeFile } from "node:fs/promises";
import { CompactSign, base64url } from "jose";
import { generateSigningKey, signConfig, publicJwk } from "../../sdk-js/src/signing/index.ts";

const keysUrl = new URL("../vectors/test-signing-keys.json", import.meta.url);
const NOW = Date.UTC(2026, 5, 1); // the instant every case is verified at
const ENV = "production";

async function loadKeys() {
  try {
    return JSON.parse(await readFile(keysUrl, "utf8"));
  } catch {
    const make = async (alg) => (await generateSigningKey(alg)).privateJwk;
    const keys = { warning: "TEST-ONLY keys for the shared signature vectors. Never trust them anywhere.", es256: await make("ES256"), eddsa: await make("EdDSA"), untrusted: await make("ES256") };
    await writeFile(keysUrl, JSON.stringify(keys, null, 2) + "\n");
    return keys;
  }
}

const keys = await loadKeys();
const trusted = { keys: [await publicJwk(keys.es256), await publicJwk(keys.eddsa)] };
const config = {
  flags: {
    "chat-model": {
      enabled: true, defaultVariant: "gpt-35",
      variants: { "gpt-35": { value: "gpt-3.5-turbo" }, "gpt-4": { value: "gpt-4" } },
      allocations: [{ key: "exp", splits: [{ variant: "gpt-35", weight: 1 }, { variant: "gpt-4", weight: 1 }], log: true }],
    },
  },
};
const sign = (key, over = {}) => signConfig(over.config ?? config, { key, env: over.env ?? ENV, version: over.version ?? 5, now: over.now ?? NOW - 86400e3, ttlSeconds: over.ttl ?? 30 * 86400 });
const enc = (obj) => base64url.encode(new TextEncoder().encode(JSON.stringify(obj)));
const parts = (jws) => jws.split(".");
const kidOf = (k) => k.kid;

const good = await sign(keys.es256);
const [h, p, s] = parts(good);
const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
const cases = [];
const add = (name, jws, expected, options = {}) => cases.push({ name, jws, options: { env: ENV, ...options }, expected });

add("a valid ES256 config is accepted", good, { version: 5, kid: kidOf(keys.es256) });
add("a valid EdDSA config is accepted", await sign(keys.eddsa), { version: 5, kid: kidOf(keys.eddsa) });
add("the same version as the last accepted one is accepted", good, { version: 5, kid: kidOf(keys.es256) }, { minVersion: 5 });
add("a tampered payload (a variant's value changed) is refused", `${h}.${enc({ ...payload, flags: { ...payload.flags, "chat-model": { ...payload.flags["chat-model"], defaultVariant: "gpt-4" } } })}.${s}`, { code: "SIGNATURE_INVALID" });
add("a tampered payload (version raised) is refused", `${h}.${enc({ ...payload, version: 99 })}.${s}`, { code: "SIGNATURE_INVALID" });
add("a tampered header (an extra field) is refused", `${enc({ ...JSON.parse(new TextDecoder().decode(base64url.decode(h))), cty: "x" })}.${p}.${s}`, { code: "SIGNATURE_INVALID" });
add("a tampered signature is refused", `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`, { code: "SIGNATURE_INVALID" });
add("a signature by an unknown key is refused", await sign(keys.untrusted), { code: "UNKNOWN_KID" });
add("a signature by an unknown key claiming a trusted kid is refused", await (async () => {
  const forged = await sign(keys.untrusted);
  const [, fp, fs] = parts(forged);
  return `${enc({ alg: "ES256", kid: kidOf(keys.es256), typ: "edgeflag-config+jws" })}.${fp}.${fs}`;
})(), { code: "SIGNATURE_INVALID" });
add('alg "none" is refused', `${enc({ alg: "none", kid: kidOf(keys.es256) })}.${p}.`, { code: "ALG_NOT_ALLOWED" });
add("HS256 with the public key as the secret is refused", await new CompactSign(base64url.decode(p))
  .setProtectedHeader({ alg: "HS256", kid: kidOf(keys.es256) })
  .sign(new TextEncoder().encode(JSON.stringify(trusted.keys[0]))), { code: "ALG_NOT_ALLOWED" });
add("an EdDSA header on the ES256 key's kid is refused", `${enc({ alg: "EdDSA", kid: kidOf(keys.es256) })}.${p}.${s}`, { code: "ALG_NOT_ALLOWED" });
add("a valid but older version is refused as a rollback", good, { code: "ROLLBACK" }, { minVersion: 6 });
add("an expired config is refused", await sign(keys.es256, { now: NOW - 40 * 86400e3 }), { code: "EXPIRED" });
add("a config signed for another env is refused", await sign(keys.es256, { env: "staging" }), { code: "WRONG_ENV" });
add("an oversized config is refused before parsing", good, { code: "TOO_LARGE" }, { maxBytes: 200 });
add("a validly signed payload that is not a valid config is refused", await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...payload, flags: { f: { enabled: "yes" } } })))
  .setProtectedHeader({ alg: "ES256", kid: kidOf(keys.es256) })
  .sign(await (await import("jose")).importJWK(keys.es256, "ES256")), { code: "SCHEMA_INVALID" });
add("a string that is not a JWS is refused", "hello.world", { code: "MALFORMED" });

const doc = {
  specVersion: 1,
  description: "Signed configs and attacks (TUF's list); verify each with options.env, the trusted keys and `now`, and expect the version or the refusal code. Generated by config-schema/scripts/gen-signature-vectors.mjs.",
  now: NOW,
  trusted,
  cases,
};
await writeFile(new URL("../vectors/signatures.json", import.meta.url), JSON.stringify(doc, null, 2) + "\n");
console.log(`wrote config-schema/vectors/signatures.json: ${cases.length} cases`);
