import { describe, expect, it } from "vitest";
import {
  type EvaluationFold,
  evaluateRecommender,
  makeFolds,
  mostPopularRecommender,
  randomRecommender,
  type UserHistory,
} from "../../../../shared/domain/evaluation/evaluation.js";
import type { RatingsTable } from "../../../../shared/domain/input/ratings.js";

function table(rows: readonly (readonly [number, number, number])[]): RatingsTable {
  return {
    length: rows.length,
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Uint32Array.from(rows, (_, i) => i),
    favourite: Uint8Array.from(rows, (r) => (r[2] >= 4 ? 1 : 0)),
  };
}

/** A user history whose exclusion is its favourites (the reference exclusion). */
const seen = (favourites: number[]): UserHistory => ({
  favourites: new Set(favourites),
  exclude: new Set(favourites),
});

// Favourite counts in train: movie 1 x3, movie 2 x2, movie 3 x2, movie 4 x1; movie 5 only rated 2.0.
const train = table([
  [1, 1, 5],
  [1, 5, 2],
  [2, 1, 4],
  [2, 2, 4],
  [3, 1, 4],
  [3, 3, 4.5],
  [3, 2, 4],
  [4, 3, 4],
  [4, 4, 4],
]);

describe("mostPopularRecommender", () => {
  it("orders by training favourites, ties to the smaller movieId, without the user's own", () => {
    const recommend = mostPopularRecommender(train);
    expect(recommend(1, seen([1]), 10)).toEqual([2, 3, 4]);
    expect(recommend(4, seen([3, 4]), 2)).toEqual([1, 2]);
    // The exclusion, not the favourites, decides what is left out.
    expect(recommend(1, { favourites: new Set([1]), exclude: new Set([1, 2]) }, 10)).toEqual([3, 4]);
  });
});

describe("randomRecommender", () => {
  it("draws distinct candidates with a training favourite, reproducibly", () => {
    const recommend = randomRecommender(train, 7);
    const list = recommend(1, seen([1]), 10);
    expect([...list].sort()).toEqual([2, 3, 4]);
    expect(recommend(1, seen([1]), 10)).toEqual(list);
    expect(recommend(2, seen([]), 2)).toHaveLength(2);
  });
});

describe("evaluateRecommender", () => {
  it("scores each held-out user's list and keeps the lists in userId order", () => {
    const fold: EvaluationFold = {
      train,
      heldOut: new Map([
        [4, new Set([2])],
        [1, new Set([3, 9])],
      ]),
    };
    const result = evaluateRecommender(fold, mostPopularRecommender(train), { catalogueSize: 10, at: 2 });
    // User 1 gets [2, 3]: hit at rank 2 of |T| = 2. User 4 gets [1, 2]: hit at rank 2 of |T| = 1.
    expect([...result.lists]).toEqual([
      [1, [2, 3]],
      [4, [1, 2]],
    ]);
    const rank2 = 1 / Math.log2(3);
    expect(result.metrics.users).toBe(2);
    expect(result.metrics.precision).toBeCloseTo(0.5, 12);
    expect(result.metrics.recall).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(result.metrics.ndcg).toBeCloseTo((rank2 / (1 + rank2) + rank2) / 2, 12);
    expect(result.metrics.hitRate).toBe(1);
    expect(result.metrics.distinctMovies).toBe(3);
    expect(result.metrics.coverage).toBeCloseTo(0.3, 12);
  });
});

describe("makeFolds", () => {
  it("carves validation from the test fold's train part", () => {
    // User 1: ten favourites (movies 1..10) at increasing timestamps; temporal holds out 2, then 2 again.
    const ratings = table(Array.from({ length: 10 }, (_, i) => [1, i + 1, 4] as const));
    const folds = makeFolds(ratings, "temporal");
    expect(folds.test.heldOut.get(1)).toEqual(new Set([9, 10]));
    expect(folds.test.train.length).toBe(8);
    expect(folds.validation.heldOut.get(1)).toEqual(new Set([7, 8]));
    expect(folds.validation.train.length).toBe(6);
  });
});
