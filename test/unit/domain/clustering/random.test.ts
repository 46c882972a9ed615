import { describe, expect, it } from "vitest";
import { createRandom, fmix32 } from "../../../../shared/domain/clustering/random.js";

describe("fmix32", () => {
  it("matches murmur3's finaliser on known values", () => {
    expect(fmix32(0)).toBe(0);
    // h=1: 1 ^ 0 = 1; * 0x85ebca6b = 0x85ebca6b; ^ (>>>13); * 0xc2b2ae35; ^ (>>>16)
    let h = 1;
    h ^= h >>> 16;
    h = Number((BigInt(h) * 0x85ebca6bn) % 2n ** 32n);
    h = (h ^ (h >>> 13)) >>> 0;
    h = Number((BigInt(h) * 0xc2b2ae35n) % 2n ** 32n);
    h = (h ^ (h >>> 16)) >>> 0;
    expect(fmix32(1)).toBe(h);
  });
});

describe("createRandom", () => {
  it("repeats its sequence for a seed and differs across seeds", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it("keeps values in range", () => {
    const r = createRandom(7);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      const n = r.int(13);
      expect(x >= 0 && x < 1 && n >= 0 && n < 13 && Number.isInteger(n)).toBe(true);
    }
  });
});
