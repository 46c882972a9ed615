import { describe, expect, it } from "vitest";
import { drawPicks, evaluatePicks } from "../../../../shared/domain/evaluation/picks-evaluation.js";
import { ratingsTable } from "../../../helpers/matrix-fixtures.js";

describe("drawPicks", () => {
  it("draws n distinct favourites, the same for the same seed and user", () => {
    const favourites = new Set([1, 2, 3, 4, 5, 6, 7, 8]);
    const picks = drawPicks(favourites, 3, 42, 7);
    expect(picks).toHaveLength(3);
    expect(new Set(picks).size).toBe(3);
    expect(picks.every((m) => favourites.has(m))).toBe(true);
    expect(drawPicks(favourites, 3, 42, 7)).toEqual(picks);
    expect(drawPicks(new Set([4, 2]), 5, 1, 1)).toEqual([2, 4]);
  });
});

describe("evaluatePicks", () => {
  // Users 1 and 2 have 3 training favourites and one held-out favourite each; user 3 has too few.
  const fold = {
    train: ratingsTable([
      [1, 10, 5],
      [1, 11, 5],
      [1, 12, 5],
      [2, 10, 5],
      [2, 11, 5],
      [2, 12, 5],
      [3, 10, 5],
    ]),
    heldOut: new Map([
      [1, new Set([20])],
      [2, new Set([21])],
      [3, new Set([20])],
    ]),
  };

  it("scores every method on the same users and picks, and compares them per user", () => {
    const seen: number[][] = [];
    const result = evaluatePicks(
      fold,
      [
        {
          seed: 42,
          methods: [
            {
              name: "hits",
              recommend: (picks, limit) => {
                seen.push([...picks]);
                return [20, 21].slice(0, limit);
              },
            },
            { name: "misses", recommend: () => [30] },
          ],
        },
      ],
      { picks: 3 },
    );
    expect(result.users).toBe(2);
    expect(seen).toEqual([
      [10, 11, 12],
      [10, 11, 12],
    ]);
    // User 1's hit is at rank 1 (NDCG 1), user 2's at rank 2 (1 / log2 3).
    const hits = result.results.find((r) => r.name === "hits")!;
    expect(hits.ndcg).toBeCloseTo((1 + 1 / Math.log2(3)) / 2, 12);
    const paired = result.paired("hits", "misses");
    expect(paired.meanDifference).toBeCloseTo(hits.ndcg, 12);
    expect(paired.ci95).toBeGreaterThan(0);
  });

  it("averages each user's score over the seeded runs before comparing", () => {
    // Run 1 hits every user's held-out favourite at rank 1, run 2 never: each user scores 0.5.
    const run = (seed: number, list: number[]) => ({
      seed,
      methods: [
        { name: "m", recommend: (_picks: readonly number[], _limit: number) => [] as number[] },
        { name: "n", recommend: (_picks: readonly number[], _limit: number) => list },
      ],
    });
    const result = evaluatePicks(fold, [run(1, [20, 21]), run(2, [30])], { picks: 3 });
    const n = result.results.find((r) => r.name === "n")!;
    expect([...n.perUser]).toEqual([0.5, (0.5 * 1) / Math.log2(3)]);
    expect(() => evaluatePicks(fold, [run(1, []), { seed: 2, methods: [] }], { picks: 3 })).toThrow(
      "every picks run must name the same methods",
    );
  });
});
