/**
 * The bucket: contract 1 of DESIGN.md, spec in config-schema/SPEC.md §1.
 *
 * MurmurHash3_x86_32 (seed 0) over the UTF-8 bytes of `salt + "." + subject`, and
 * `bucket = floor(hash * 10000 / 2^32)`. ASCII, the common subject, is hashed straight from the
 * string's code units and allocates nothing; from the first other character on, TextEncoder
 * gives the bytes (one small allocation), so every Unicode string is exact.
 *
 * @module
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** State of the general (UTF-8) path, in module scope: hashing is synchronous and never re-entered. */
let h = 0;
let k = 0;
let shift = 0;
let length = 0;

function pushByte(byte: number): void {
  k |= byte << shift;
  shift += 8;
  length++;
  if (shift === 32) {
    h = mix(h, k);
    k = 0;
    shift = 0;
  }
}

const encoder = new TextEncoder();

/** ASCII byte by byte; from the first other character on, the bytes TextEncoder gives (SPEC §1). */
function pushString(s: string, from = 0): void {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      for (const byte of encoder.encode(s.slice(i))) pushByte(byte);
      return;
    }
    pushByte(c);
  }
}

function mixTail(k1: number): number {
  k1 = Math.imul(k1, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, C2);
}

function fmix(h1: number, len: number): number {
  h1 ^= len;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

function finish(): number {
  return fmix(shift > 0 ? h ^ mixTail(k) : h, length);
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

/** The hash state after `salt + "."`: computed once per salt, when a config is compiled. */
export interface HashPrefix {
  readonly h: number;
  readonly k: number;
  readonly shift: number;
  readonly length: number;
}

/**
 * Hashes `salt + "."` once, so that each evaluation hashes only the subject.
 *
 * @example
 * const prefix = hashPrefix("checkout:a1:split"); // at compile time
 * bucketWithPrefix(prefix, "user-42");             // per evaluation
 */
export function hashPrefix(salt: string): HashPrefix {
  start();
  pushString(salt);
  pushByte(0x2e);
  return { h, k, shift, length };
}

/** One 4-byte block into the state. */
function mix(h1: number, k1: number): number {
  h1 ^= mixTail(k1);
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

/**
 * The hash of `prefix + subject` (contract 1). ASCII is hashed in local variables, four
 * characters a block where the state is aligned; the first non-ASCII character hands over to
 * the general UTF-8 path, so every string is exact and only non-ASCII ones allocate.
 */
export function hashWithPrefix(prefix: HashPrefix, subject: string): number {
  let h1 = prefix.h;
  let k1 = prefix.k;
  let sh = prefix.shift;
  let len = prefix.length;
  const n = subject.length;
  let i = 0;
  while (i < n) {
    const c = subject.charCodeAt(i);
    if (c >= 0x80) break;
    if (sh === 0 && i + 3 < n) {
      const c1 = subject.charCodeAt(i + 1);
      const c2 = subject.charCodeAt(i + 2);
      const c3 = subject.charCodeAt(i + 3);
      if ((c1 | c2 | c3) < 0x80) {
        h1 = mix(h1, c | (c1 << 8) | (c2 << 16) | (c3 << 24));
        i += 4;
        len += 4;
        continue;
      }
    }
    k1 |= c << sh;
    sh += 8;
    len++;
    i++;
    if (sh === 32) {
      h1 = mix(h1, k1);
      k1 = 0;
      sh = 0;
    }
  }
  if (i < n) {
    h = h1;
    k = k1;
    shift = sh;
    length = len;
    pushString(subject, i);
    return finish();
  }
  return fmix(sh > 0 ? h1 ^ mixTail(k1) : h1, len);
}

/**
 * The hash of `salt + "." + subject` (contract 1), without building the joined string.
 *
 * @example
 * hashSubject("checkout:a1:split", "user-42") // an integer in [0, 2^32)
 */
export function hashSubject(salt: string, subject: string): number {
  return hashWithPrefix(hashPrefix(salt), subject);
}

/** The bucket of `prefix + subject`: the evaluator's hot path. */
export function bucketWithPrefix(prefix: HashPrefix, subject: string): number {
  return bucketOfHash(hashWithPrefix(prefix, subject));
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
