import { describe, expect, it } from "vitest";
import { buildFavouriteMatrix } from "../../../../shared/domain/clustering/sparse-matrix.js";
import { easeRecommender } from "../../../../shared/domain/evaluation/ease.js";
import { evaluateRecommender, type Recommender } from "../../../../shared/domain/evaluation/evaluation.js";
import { neighbourRecommender } from "../../../../shared/domain/evaluation/neighbour-recommender.js";
import { itemNeighbours } from "../../../../shared/domain/ranking/item-neighbours.js";
import { invertSpdInPlace } from "../../../../shared/domain/ranking/spd-inverse.js";
import { ratingsTable } from "../../../helpers/matrix-fixtures.js";

/** Favourites: user 1 {1,2,3}, user 2 {1,2}, user 3 {2,3}, user 4 {4}, user 5 {1,2,4}; user 4 rated movie 1 2.0. */
const train = ratingsTable([
  [1, 1, 5],
  [1, 2, 4],
  [1, 3, 4],
  [2, 1, 4],
  [2, 2, 4.5],
  [3, 2, 4],
  [3, 3, 5],
  [4, 4, 4],
  [4, 1, 2],
  [5, 1, 4],
  [5, 2, 4],
  [5, 4, 4],
]);

const history = (favourites: number[], exclude = favourites) => ({
  favourites: new Set(favourites),
  exclude: new Set(exclude),
});

describe("invertSpdInPlace", () => {
  it("inverts a symmetric positive definite matrix", () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const original = a.slice();
    invertSpdInPlace(a, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += original[i * 3 + k]! * a[k * 3 + j]!;
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });

  it("refuses a matrix that is not positive definite, or of the wrong size", () => {
    expect(() => invertSpdInPlace(Float64Array.from([0, 1, 1, 0]), 2)).toThrow(/positive definite/);
    expect(() => invertSpdInPlace(new Float64Array(3), 2)).toThrow(/2 x 2/);
  });
});

describe("easeRecommender", () => {
  it("matches the closed form B = I - P / diag(P) on a small matrix", () => {
    // Movies 1..4; Gram diagonal = favourites + lambda. User 2 {1,2}: score(j) = B[1][j] + B[2][j].
    const lambda = 1;
    const x = [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 1],
    ];
    const g = Array.from({ length: 4 }, (_, i) =>
      Array.from({ length: 4 }, (_, j) => x.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)),
    );
    const p = Float64Array.from(g.flat());
    invertSpdInPlace(p, 4);
    const b = (i: number, j: number) => (i === j ? 0 : -p[i * 4 + j]! / p[j * 4 + j]!);
    const expected = [3, 4]
      .map((movie) => ({ movie, score: b(0, movie - 1) + b(1, movie - 1) }))
      .sort((m, n) => n.score - m.score || m.movie - n.movie)
      .map((m) => m.movie);
    const recommend = easeRecommender(train, { lambda, maxMovies: 10 });
    expect(recommend(2, history([1, 2]), 10)).toEqual(expected);
  });

  it("keeps only the most favourited movies when restricted", () => {
    // Favourites per movie: 1 x4, 2 x4, 3 x2, 4 x2: top 3 keeps 1, 2 and 3 (ties to the smaller movieId).
    const recommend = easeRecommender(train, { lambda: 1, maxMovies: 3 });
    expect(recommend(4, history([4], [1, 4]), 10).sort()).toEqual([2, 3]);
    expect(() => easeRecommender(train, { lambda: 0, maxMovies: 3 })).toThrow(/lambda/);
  });
});

describe("neighbourRecommender", () => {
  const index = itemNeighbours(buildFavouriteMatrix(train), { perMovie: 1, similarity: { kind: "cosine" } });

  it("sums the favourites' neighbour lists, or the candidates' own lists", () => {
    // Top-1 lists: 1 -> 2, 2 -> 1, 3 -> 2, 4 -> 1 (cosine, ties to the smaller movieId).
    const fromFavourites: Recommender = neighbourRecommender(index, "favourites");
    expect(fromFavourites(3, history([3]), 10)).toEqual([2]);
    // Candidates 1 and 4 both list 2... only 1 does (4 lists 1): user {2} gets 1 and 3 (3 lists 2).
    const fromCandidates = neighbourRecommender(index, "candidates");
    expect(fromCandidates(3, history([2]), 10)).toEqual([1, 3]);
    expect(fromCandidates(3, history([2], [1, 2]), 10)).toEqual([3]);
  });

  it("scores through evaluateRecommender, which enforces the exclusion it is given", () => {
    const fold = { train, heldOut: new Map([[4, new Set([2])]]) };
    const ignoresExclusion: Recommender = () => [1, 2];
    // Default exclusion: movie 1 was rated (2.0) by user 4 in train, so it is dropped and 2 moves up to rank 1.
    const rated = evaluateRecommender(fold, ignoresExclusion, { catalogueSize: 4 });
    expect(rated.lists.get(4)).toEqual([2]);
    expect(rated.metrics.ndcg).toBe(1);
    const favourites = evaluateRecommender(fold, ignoresExclusion, {
      catalogueSize: 4,
      exclusion: "favourites",
    });
    expect(favourites.lists.get(4)).toEqual([1, 2]);
    expect(favourites.metrics.ndcg).toBeCloseTo(1 / Math.log2(3), 10);
  });
});
