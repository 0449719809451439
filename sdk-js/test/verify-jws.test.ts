// Our WebCrypto-only JWS verifier held against jose as an independent oracle: on every shared
// signature vector and on freshly signed configs with random tampering, both must make the same
// accept/reject decision. Then the cases jose would not tell us about (our stricter refusals).
import { readFileSync } from "node:fs";
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { verifyJws } from "../src/signing/verify-jws.ts";
import { generateSigningKey, signConfig } from "../src/signing/index.ts";
import type { FlagConfig } from "@edgeflag/config-schema";

const vectors = JSON.parse(readFileSync(new URL("../../config-schema/vectors/signatures.json", import.meta.url), "utf8")) as {
  trusted: { keys: JWK[] };
  cases: Array<{ name: string; jws: string }>;
};

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const fromB64url = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));
const ascii = (text: string) => new TextEncoder().encode(text);

/** jose's decision, given the trusted key the header's kid names (none: reject). */
async function joseVerify(jws: string, keys: JWK[]): Promise<Uint8Array | null> {
  try {
    const { kid, alg } = decodeProtectedHeader(jws);
    const jwk = keys.find((k) => k.kid === kid);
    if (!jwk || typeof alg !== "string") return null;
    const { payload } = await compactVerify(jws, await importJWK(jwk, alg), { algorithms: ["ES256", "EdDSA"] });
    return payload;
  } catch {
    return null;
  }
}

async function ourVerify(jws: string, keys: JWK[]): Promise<Uint8Array | null> {
  return verifyJws(jws, keys).then((r) => r.payload, () => null);
}

async function expectSameDecision(jws: string, keys: JWK[], label: string): Promise<boolean> {
  const [ours, theirs] = await Promise.all([ourVerify(jws, keys), joseVerify(jws, keys)]);
  expect(ours === null, `${label}: ours ${ours ? "accepts" : "rejects"}, jose ${theirs ? "accepts" : "rejects"}\n${jws}`).toBe(theirs === null);
  if (ours && theirs) expect(ours).toEqual(theirs);
  return ours !== null;
}

/** Signs any header with WebCrypto directly: jose refuses to sign some headers we must test. */
async function signRaw(header: object, payload: string, privateJwk: JWK): Promise<string> {
  const ec = privateJwk.kty === "EC";
  const { kty, crv, x, y, d } = privateJwk;
  const key = await crypto.subtle.importKey("jwk", ec ? { kty, crv, x, y, d } : { kty, crv, x, d }, ec ? { name: "ECDSA", namedCurve: "P-256" } : { name: "Ed25519" }, false, ["sign"]);
  const input = `${b64url(ascii(JSON.stringify(header)))}.${b64url(ascii(payload))}`;
  const signature = await crypto.subtle.sign(ec ? { name: "ECDSA", hash: "SHA-256" } : { name: "Ed25519" }, key, ascii(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

/** r||s (64 bytes) to the DER SEQUENCE { INTEGER r, INTEGER s } that OpenSSL would emit. */
function derFromP1363(sig: Uint8Array): Uint8Array {
  const int = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.slice(i);
    const body = trimmed[0]! & 0x80 ? [0, ...trimmed] : [...trimmed];
    return [0x02, body.length, ...body];
  };
  const content = [...int(sig.slice(0, 32)), ...int(sig.slice(32))];
  return new Uint8Array([0x30, content.length, ...content]);
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const config = (n: number): FlagConfig => ({
  flags: {
    model: {
      enabled: n % 2 === 0,
      defaultVariant: "small",
      variants: { small: { value: { model: "gpt-4o-mini", n } }, large: { value: { model: "gpt-4o", note: "ünïcødé ✓ 中文" } } },
      allocations: [{ key: "exp", splits: [{ variant: "small", weight: 1 + (n % 7) }, { variant: "large", weight: 1 }], log: true }],
    },
  },
});

const signers = await Promise.all((["ES256", "ES256", "EdDSA", "EdDSA", "ES256", "EdDSA"] as const).map((alg) => generateSigningKey(alg)));
const trustedKeys = signers.slice(0, 4).map((s) => s.publicJwk); // the last two are untrusted
const [es256, , ed25519] = signers as [(typeof signers)[0], (typeof signers)[0], (typeof signers)[0]];

describe("verifyJws agrees with jose", () => {
  test("on every shared signature vector", async () => {
    for (const c of vectors.cases) await expectSameDecision(c.jws, vectors.trusted.keys, c.name);
  });

  test("on 200 freshly signed configs with random tampering", async () => {
    const seed = Date.now() >>> 0;
    const random = mulberry32(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const tally: Record<string, { accepted: number; rejected: number }> = {};
    for (let n = 0; n < 200; n++) {
      const signer = pick(signers);
      const jws = await signConfig(config(n), { key: signer.privateJwk, env: "production", version: n + 1 });
      const parts = jws.split(".") as [string, string, string];
      const mode = pick(["none", "header", "payload", "signature", "swap"] as const);
      if (mode === "swap") {
        const other = pick(signers.filter((s) => s !== signer));
        parts[2] = (await signConfig(config(n), { key: other.privateJwk, env: "production", version: n + 1 })).split(".")[2]!;
      } else if (mode !== "none") {
        const i = { header: 0, payload: 1, signature: 2 }[mode];
        const part = parts[i]!;
        const at = Math.floor(random() * part.length);
        parts[i] = part.slice(0, at) + pick([...ALPHABET].filter((ch) => ch !== part[at])) + part.slice(at + 1);
      }
      const accepted = await expectSameDecision(parts.join("."), trustedKeys, `seed ${seed}, config ${n}, ${mode}`);
      const t = (tally[mode] ??= { accepted: 0, rejected: 0 });
      t[accepted ? "accepted" : "rejected"]++;
    }
    // Sanity of the generator itself: untampered configs by trusted keys are accepted.
    expect(tally.none?.accepted ?? 1, JSON.stringify(tally)).toBeGreaterThan(0);
  });
});

describe("verifyJws refuses what contract 3 does not allow", () => {
  const payload = JSON.stringify({ flags: {}, env: "production", version: 1, iat: 1, exp: 2 });
  const refusal = (jws: string, keys: JWK[] = trustedKeys) => verifyJws(jws, keys).then(() => "accepted", (e: { code?: string }) => e.code);

  test("a crit header is MALFORMED (jose refuses it too)", async () => {
    const jws = await signRaw({ alg: "ES256", kid: es256.publicJwk.kid, crit: ["exp"], exp: 1 }, payload, es256.privateJwk);
    expect(await refusal(jws)).toBe("MALFORMED");
    expect(await joseVerify(jws, trustedKeys)).toBeNull();
  });

  test("a b64 header is MALFORMED, with or without crit", async () => {
    for (const extra of [{ b64: false, crit: ["b64"] }, { b64: true, crit: ["b64"] }, { b64: false }]) {
      expect(await refusal(await signRaw({ alg: "EdDSA", kid: ed25519.publicJwk.kid, ...extra }, payload, ed25519.privateJwk))).toBe("MALFORMED");
    }
  });

  test("padding, the base64 (not base64url) alphabet and whitespace are MALFORMED", async () => {
    const good = await signRaw({ alg: "ES256", kid: es256.publicJwk.kid }, payload, es256.privateJwk);
    expect(await refusal(good)).toBe("accepted");
    const parts = good.split(".");
    for (let i = 0; i < 3; i++) {
      const padded = parts.map((p, j) => (j === i ? p + "=".repeat((4 - (p.length % 4)) % 4 || 4) : p)).join(".");
      expect(await refusal(padded), `padding in part ${i}`).toBe("MALFORMED");
      for (const bad of ["+", "/", " ", "\n", "é"]) {
        const broken = parts.map((p, j) => (j === i ? p.slice(0, 4) + bad + p.slice(5) : p)).join(".");
        expect(await refusal(broken), `${JSON.stringify(bad)} in part ${i}`).toBe("MALFORMED");
      }
    }
    const sig = parts[2]!;
    expect(await refusal(`${parts[0]}.${parts[1]}.${sig.slice(0, sig.length - ((sig.length - 1) % 4))}`)).toBe("MALFORMED"); // 4n + 1 characters
  });

  test("a header that is not a UTF-8 JSON object is MALFORMED", async () => {
    const [, p, s] = (await signRaw({ alg: "ES256", kid: es256.publicJwk.kid }, payload, es256.privateJwk)).split(".");
    for (const header of [ascii("[]"), ascii('"ES256"'), ascii("null"), ascii("{"), new Uint8Array([0x7b, 0xff, 0x7d])]) {
      expect(await refusal(`${b64url(header)}.${p}.${s}`)).toBe("MALFORMED");
    }
  });

  test("a 65-byte or 63-byte ES256 signature is SIGNATURE_INVALID, and so is a 65-byte Ed25519 one", async () => {
    for (const signer of [es256, ed25519]) {
      const [h, p, s] = (await signRaw({ alg: signer.publicJwk.alg, kid: signer.publicJwk.kid }, payload, signer.privateJwk)).split(".") as [string, string, string];
      const sig = fromB64url(s);
      expect(await refusal(`${h}.${p}.${b64url(new Uint8Array([...sig, 0]))}`)).toBe("SIGNATURE_INVALID");
      expect(await refusal(`${h}.${p}.${b64url(sig.slice(0, 63))}`)).toBe("SIGNATURE_INVALID");
    }
  });

  test("a DER-encoded ECDSA signature is SIGNATURE_INVALID, though it is the same signature", async () => {
    const [h, p, s] = (await signRaw({ alg: "ES256", kid: es256.publicJwk.kid }, payload, es256.privateJwk)).split(".") as [string, string, string];
    const der = derFromP1363(fromB64url(s));
    // The DER form is a correct signature: only its encoding is wrong for JWS.
    expect(nodeVerify("sha256", ascii(`${h}.${p}`), { key: createPublicKey({ key: es256.publicJwk as never, format: "jwk" }), dsaEncoding: "der" }, der)).toBe(true);
    expect(await refusal(`${h}.${p}.${b64url(der)}`)).toBe("SIGNATURE_INVALID");
  });

  test("a key embedded in the header (jwk, jku, x5u) is ignored: only pinned keys count", async () => {
    const attacker = signers[4]!;
    const embedded = { jwk: attacker.publicJwk, jku: "https://evil.example/jwks.json", x5u: "https://evil.example/cert.pem" };
    expect(await refusal(await signRaw({ alg: "ES256", kid: es256.publicJwk.kid, ...embedded }, payload, attacker.privateJwk))).toBe("SIGNATURE_INVALID");
    expect(await refusal(await signRaw({ alg: "ES256", kid: attacker.publicJwk.kid, ...embedded }, payload, attacker.privateJwk))).toBe("UNKNOWN_KID");
    expect(await refusal(await signRaw({ alg: "ES256", ...embedded }, payload, attacker.privateJwk))).toBe("UNKNOWN_KID");
    // The same header signed by the pinned key is fine: the embedded key is not a reason to refuse.
    expect(await refusal(await signRaw({ alg: "ES256", kid: es256.publicJwk.kid, ...embedded }, payload, es256.privateJwk))).toBe("accepted");
  });

  test("alg must be ES256 or EdDSA and the kid's key's own alg", async () => {
    const [, p, s] = (await signRaw({ alg: "ES256", kid: es256.publicJwk.kid }, payload, es256.privateJwk)).split(".");
    for (const alg of ["none", "HS256", "RS256", "ES384", "Ed25519", "es256", undefined, 7]) {
      expect(await refusal(`${b64url(ascii(JSON.stringify({ alg, kid: es256.publicJwk.kid })))}.${p}.${s}`), String(alg)).toBe("ALG_NOT_ALLOWED");
    }
    expect(await refusal(`${b64url(ascii(JSON.stringify({ alg: "EdDSA", kid: es256.publicJwk.kid })))}.${p}.${s}`)).toBe("ALG_NOT_ALLOWED");
    expect(await refusal(`${b64url(ascii(JSON.stringify({ alg: "ES256", kid: 1 })))}.${p}.${s}`)).toBe("UNKNOWN_KID");
  });

  test("each pinned key is imported once, and reports kid, alg, payload and header", async () => {
    const keys = [{ ...ed25519.publicJwk }];
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    try {
      for (let i = 0; i < 3; i++) {
        const r = await verifyJws(await signRaw({ alg: "EdDSA", kid: ed25519.publicJwk.kid }, payload, ed25519.privateJwk), keys);
        expect(r).toEqual({ payload: ascii(payload), kid: ed25519.publicJwk.kid, alg: "EdDSA", header: { alg: "EdDSA", kid: ed25519.publicJwk.kid } });
      }
      expect(importKey.mock.calls.filter((call) => (call[4] as string[]).includes("verify"))).toHaveLength(1);
    } finally {
      importKey.mockRestore();
    }
  });
});
