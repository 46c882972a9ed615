import { describe, expect, it } from "vitest";
import { createMetricsAccumulator, scoreList } from "../../../../shared/domain/evaluation/metrics.js";

const log3 = Math.log2(3);

describe("scoreList", () => {
  it("scores a hit at rank 2 of 2 relevant movies", () => {
    const m = scoreList([1, 2, 3], new Set([2, 5]), 10);
    expect(m.precision).toBeCloseTo(0.1, 12);
    expect(m.recall).toBeCloseTo(0.5, 12);
    // DCG = 1/log2(3); ideal over min(10, 2) = 2 positions: 1 + 1/log2(3).
    expect(m.ndcg).toBeCloseTo(1 / log3 / (1 + 1 / log3), 12);
    expect(m.hit).toBe(1);
    // AP = (precision at the hit, 1/2) / min(10, 2).
    expect(m.averagePrecision).toBeCloseTo(0.25, 12);
  });

  it("caps the ideal at the cut-off and ignores movies past it", () => {
    const relevant = new Set([1, 2, 3, 4, 5]);
    const m = scoreList([1, 9, 2, 4], relevant, 3);
    // hits at ranks 1 and 3 (4 is past the cut-off); ideal over min(3, 5) = 3 positions.
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 5, 12);
    expect(m.ndcg).toBeCloseTo((1 + 1 / 2) / (1 + 1 / log3 + 1 / 2), 12);
    expect(m.averagePrecision).toBeCloseTo((1 + 2 / 3) / 3, 12);
  });

  it("counts a short or empty list's missing positions as misses, and refuses an empty relevant set", () => {
    expect(scoreList([], new Set([7]), 10)).toEqual({
      precision: 0,
      recall: 0,
      ndcg: 0,
      hit: 0,
      averagePrecision: 0,
    });
    expect(() => scoreList([1], new Set(), 10)).toThrow(/held-out/);
  });
});

describe("createMetricsAccumulator", () => {
  it("averages over users, counts distinct movies for coverage, and gives the normal 95% interval", () => {
    const acc = createMetricsAccumulator({ catalogueSize: 50 });
    acc.add([1, 2, 3], new Set([2, 5]));
    acc.add([5, 6, 2], new Set([5]));
    acc.add([], new Set([7]));
    const r = acc.result();
    const first = 1 / log3 / (1 + 1 / log3);
    const ndcgs = [first, 1, 0];
    const mean = (first + 1) / 3;
    const sd = Math.sqrt(ndcgs.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(r.users).toBe(3);
    expect(r.precision).toBeCloseTo(0.2 / 3, 12);
    expect(r.recall).toBeCloseTo(1.5 / 3, 12);
    expect(r.ndcg).toBeCloseTo(mean, 12);
    expect(r.ndcgCi95).toBeCloseTo((1.96 * sd) / Math.sqrt(3), 12);
    expect(r.hitRate).toBeCloseTo(2 / 3, 12);
    expect(r.map).toBeCloseTo(1.25 / 3, 12);
    expect(r.distinctMovies).toBe(5);
    expect(r.coverage).toBeCloseTo(0.1, 12);
  });

  it("rejects a bad cut-off or catalogue size", () => {
    expect(() => createMetricsAccumulator({ catalogueSize: 10, at: 0 })).toThrow(/cut-off/);
    expect(() => createMetricsAccumulator({ catalogueSize: 0 })).toThrow(/catalogue/);
  });
});
