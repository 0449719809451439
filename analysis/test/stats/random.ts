// Seeded randomness for the simulation tests: mulberry32 (a 32-bit PRNG, plenty for a few million
// draws) and Box–Muller normals. Same seed, same experiments, on every runtime.

/**
 * Uniform numbers in [0, 1) from a 32-bit seed.
 *
 * @example
 * const uniform = mulberry32(42);
 * uniform(); // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws by Box–Muller (both numbers of each pair are used).
 *
 * @example
 * const normal = gaussian(mulberry32(7));
 * const x = 10 + 3 * normal();
 */
export function gaussian(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = uniform();
    while (u === 0) u = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
