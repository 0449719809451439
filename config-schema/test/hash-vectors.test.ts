// The hash vectors are held against an independent MurmurHash3 (murmurhash3js-revisited, which
// matches the C++ reference) over TextEncoder's bytes, not only against edgeflag's own hash.
import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import mm from "murmurhash3js-revisited";
import { bucket, hashSubject, murmur3 } from "@edgeflag/sdk/core";

const vectors = JSON.parse(await readFile(new URL("../vectors/hash.json", import.meta.url), "utf8"));
const independent = (text: string) => mm.x86.hash32(new TextEncoder().encode(text), 0) >>> 0;

describe("hash vectors", () => {
  test("there are at least 200 cases, with a specVersion", () => {
    expect(vectors.specVersion).toBe(1);
    expect(vectors.cases.length).toBeGreaterThanOrEqual(200);
  });

  test("they cover ASCII, Latin-1, CJK, emoji, astral, empty, lone surrogates and 1 KB keys", () => {
    const utf8Length = (s: string) => new TextEncoder().encode(s).length;
    const has = (pred: (s: string) => boolean) => vectors.cases.some((c: { subject: string }) => pred(c.subject));
    expect(has((s) => /^[\x20-\x7e]+$/.test(s))).toBe(true);
    expect(has((s) => /[\u00a0-\u00ff]/.test(s))).toBe(true);
    expect(has((s) => /[\u4e00-\u9fff]/.test(s))).toBe(true);
    expect(has((s) => /\p{Extended_Pictographic}/u.test(s))).toBe(true);
    expect(has((s) => s === "")).toBe(true);
    expect(has((s) => /(^|[^\ud800-\udbff])[\udc00-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])/.test(s))).toBe(true);
    expect(has((s) => utf8Length(s) >= 1024)).toBe(true);
  });

  test("every expected hash and bucket agrees with the independent implementation", () => {
    for (const c of vectors.cases) {
      const h = independent(`${c.salt}.${c.subject}`);
      expect({ name: c.name, hash: c.hash, bucket: c.bucket }).toEqual({ name: c.name, hash: h, bucket: Math.floor((h * 10000) / 2 ** 32) });
    }
  });

  test("the published reference values hold for both implementations", () => {
    expect(independent("")).toBe(0);
    expect(murmur3("")).toBe(0);
    expect(independent("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
    expect(murmur3("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });

  test("a lone surrogate encodes as U+FFFD (EF BF BD), as TextEncoder does", () => {
    expect([...new TextEncoder().encode("\ud800")]).toEqual([0xef, 0xbf, 0xbd]);
    expect(hashSubject("s", "\ud800")).toBe(hashSubject("s", "\ufffd"));
    expect(hashSubject("s", "a\udc00b")).toBe(hashSubject("s", "a\ufffdb"));
    expect(hashSubject("s", "\ud83d\ude80")).not.toBe(hashSubject("s", "\ufffd\ufffd"));
    expect(bucket("s", "end\ud83d")).toBe(bucket("s", "end\ufffd"));
  });

  test("100,000 random strings hash like the independent implementation", () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 100_000; i++) {
      let s = "";
      for (let n = Math.floor(rand() * 24); n > 0; n--) s += String.fromCharCode(rand() < 0.6 ? Math.floor(rand() * 128) : Math.floor(rand() * 65536));
      if (hashSubject("salt", s) !== independent(`salt.${s}`)) expect(s).toBe("hashed like the reference");
    }
  });
});
