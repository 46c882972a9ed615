/**
 * Seeded pseudo-random numbers for reproducible training and data generation. The domain never uses the
 * global generator: every random choice comes from a generator made here from an explicit seed.
 */

/** A seeded generator of uniform numbers in [0, 1) and integers. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Murmur3's 32-bit finaliser: a fast, well-mixing hash of a 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Makes a generator (sfc32, 128-bit state) from a seed; the same seed always gives the same sequence. */
export function createRandom(seed: number): Random {
  let a = fmix32(seed ^ 0x9e3779b9);
  let b = fmix32(a ^ 0x243f6a88);
  let c = fmix32(b ^ 0xb7e15162);
  let d = fmix32(c ^ seed);
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  return {
    next: () => nextUint32() / 4294967296,
    int: (n) => Math.floor((nextUint32() / 4294967296) * n),
  };
}
