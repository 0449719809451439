/**
 * The bucket: contract 1 of DESIGN.md, spec in config-schema/SPEC.md §1.
 *
 * MurmurHash3_x86_32 (seed 0) over the UTF-8 bytes of `salt + "." + subject`, and
 * `bucket = floor(hash * 10000 / 2^32)`. The UTF-8 bytes are produced on the fly from the
 * string's code units, so hashing allocates nothing, for ASCII or any other text.
 *
 * @module
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Mutable state of one hash, kept in module scope: hashing is synchronous and re-entrant-free. */
let h = 0;
let k = 0;
let shift = 0;
let length = 0;

function pushByte(byte: number): void {
  k |= byte << shift;
  shift += 8;
  length++;
  if (shift === 32) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    k = 0;
    shift = 0;
  }
}

function pushString(s: string): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      pushByte(c);
      continue;
    }
    if (c < 0x800) {
      pushByte(0xc0 | (c >> 6));
      pushByte(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        pushByte(0xf0 | (c >> 18));
        pushByte(0x80 | ((c >> 12) & 0x3f));
        pushByte(0x80 | ((c >> 6) & 0x3f));
        pushByte(0x80 | (c & 0x3f));
        continue;
      }
      c = 0xfffd; // a lone surrogate encodes as U+FFFD, as TextEncoder does
    }
    pushByte(0xe0 | (c >> 12));
    pushByte(0x80 | ((c >> 6) & 0x3f));
    pushByte(0x80 | (c & 0x3f));
  }
}

function finish(): number {
  if (shift > 0) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function start(): void {
  h = 0;
  k = 0;
  shift = 0;
  length = 0;
}

/**
 * MurmurHash3_x86_32 with seed 0 of the UTF-8 bytes of `text`, as an unsigned 32-bit integer.
 *
 * @example
 * murmur3("The quick brown fox jumps over the lazy dog") === 0x2e4ff723
 */
export function murmur3(text: string): number {
  start();
  pushString(text);
  return finish();
}

/**
 * The hash of `salt + "." + subject` (contract 1), without building the joined string.
 *
 * @example
 * hashSubject("checkout:a1:split", "user-42") // an integer in [0, 2^32)
 */
export function hashSubject(salt: string, subject: string): number {
  start();
  pushString(salt);
  pushByte(0x2e);
  pushString(subject);
  return finish();
}

/** Maps a 32-bit hash to [0, 10000) by multiply-shift (exact: the product is below 2^53). */
export function bucketOfHash(hash: number): number {
  return Math.floor((hash * 10000) / 4294967296);
}

/**
 * The bucket of a subject under a salt: an integer in [0, 10000).
 *
 * @example
 * bucket("checkout:a1:traffic", "user-42") < 2500 // in a 25% rollout
 */
export function bucket(salt: string, subject: string): number {
  return bucketOfHash(hashSubject(salt, subject));
}
