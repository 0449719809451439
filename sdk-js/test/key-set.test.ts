// verifyKeySet: what a pinned root accepts and every way a key set is refused, each with its code
// and message; thumbprint agrees with jose's RFC 7638 implementation.
import { calculateJwkThumbprint, CompactSign, importJWK } from "jose";
import { describe, expect, test } from "vitest";
import { generateSigningKey, signConfig, signKeySet, thumbprint, verifyKeySet, type JWK } from "../src/signing/index.ts";

const root = await generateSigningKey("ES256");
const online = await generateSigningKey("EdDSA");
const NOW = Date.UTC(2026, 0, 1);
const set = (options: Partial<Parameters<typeof signKeySet>[1]> = {}, keys: JWK[] = [online.publicJwk]) =>
  signKeySet({ keys }, { root: root.privateJwk, version: 2, ttlSeconds: 3600, now: NOW, ...options });
/** A key set signed with any header and payload: what a forger could serve. */
async function forge(header: Record<string, unknown>, payload: object, key: JWK = root.privateJwk): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(await importJWK(key, header.alg as string));
}
const refusal = (jws: string, root: JWK | string = rootPin, minVersion = 0) =>
  verifyKeySet(jws, { root, minVersion, now: NOW }).then(() => "accepted", (e) => `${e.code}: ${e.message}`);
const rootPin = root.publicJwk.kid!;
const { kid: _k, alg: _a, use: _u, ...rootJwk } = root.publicJwk;
const claims = { keys: [online.publicJwk], version: 2, iat: NOW / 1000, exp: NOW / 1000 + 3600 };

describe("verifyKeySet", () => {
  test("thumbprint is RFC 7638's, for both key types", async () => {
    expect(await thumbprint(root.publicJwk)).toBe(await calculateJwkThumbprint(root.publicJwk));
    expect(await thumbprint(online.publicJwk)).toBe(await calculateJwkThumbprint(online.publicJwk));
  });

  test("a set the root signed verifies with the root pinned as a thumbprint or as a JWK", async () => {
    const jws = await set();
    const byThumbprint = await verifyKeySet(jws, { root: rootPin, now: NOW });
    expect(byThumbprint).toEqual({ keys: [online.publicJwk], version: 2, iat: NOW / 1000, exp: NOW / 1000 + 3600, root: rootPin, jws });
    expect((await verifyKeySet(jws, { root: rootJwk, now: NOW })).keys).toEqual(byThumbprint.keys);
  });

  test("refusals, each with its code", async () => {
    const other = await generateSigningKey("ES256");
    const { kid: _o, alg: _b, use: _c, ...otherJwk } = other.publicJwk;
    expect(await refusal(await set({ root: other.privateJwk }))).toBe("UNKNOWN_KID: not signed by the pinned root");
    expect(await refusal(await set({ root: other.privateJwk }), rootJwk)).toBe(`UNKNOWN_KID: no trusted key has kid "${other.publicJwk.kid}"`);
    // A header that names the pinned root's kid but brings another key, signed by that key.
    expect(await refusal(await forge({ alg: "ES256", kid: rootPin, typ: "edgeflag-keys+jws", jwk: otherJwk }, claims, other.privateJwk))).toBe("UNKNOWN_KID: not signed by the pinned root");
    const good = await set();
    expect(await refusal(good.slice(0, -4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA"))).toBe(`SIGNATURE_INVALID: bad signature for key "${rootPin}"`);
    expect(await refusal(await forge({ alg: "ES256", kid: rootPin, typ: "edgeflag-config+jws", jwk: rootJwk }, claims))).toBe('MALFORMED: typ "edgeflag-config+jws" is not edgeflag-keys+jws');
    expect(await refusal(await forge({ alg: "HS256", kid: rootPin, typ: "edgeflag-keys+jws", jwk: rootJwk }, claims, { kty: "oct", k: "c2VjcmV0" }))).toBe('ALG_NOT_ALLOWED: alg "HS256" is not ES256 or EdDSA');
    expect(await refusal(await set({ ttlSeconds: 1, now: NOW - 2000 }))).toBe("EXPIRED: expired at 2025-12-31T23:59:59.000Z");
    expect(await refusal(await set(), rootPin, 3)).toBe("ROLLBACK: version 2 is older than 3, already accepted");
    expect(await refusal(await forge({ alg: "ES256", kid: rootPin, typ: "edgeflag-keys+jws", jwk: rootJwk }, { ...claims, keys: [{ kty: "RSA", kid: "r" }] }))).toBe("SCHEMA_INVALID: keys: not a list of ES256/EdDSA JWKs with kids");
    // A signed config is not a key set, even when the root signed it.
    expect(await refusal(await signConfig({ flags: {} }, { key: root.privateJwk, env: "e", version: 1, now: NOW }), rootJwk)).toBe('MALFORMED: typ "edgeflag-config+jws" is not edgeflag-keys+jws');
  });

  test("signKeySet refuses the root among the keys it signs", async () => {
    await expect(set({}, [root.publicJwk])).rejects.toThrow("the root key must not be in the key set it signs");
  });
});
