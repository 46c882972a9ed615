import { describe, expect, it } from "vitest";
import { popularList, topGenres, weightedRating } from "../../../../shared/domain/ranking/popularity.js";

describe("IMDb weighted rating", () => {
  it("is v/(v+m)*R + m/(v+m)*C", () => {
    expect(weightedRating(100, 4, 100, 3)).toBe(3.5);
    expect(weightedRating(0, 5, 10, 3)).toBe(3);
    expect(weightedRating(30, 4, 10, 2)).toBeCloseTo(3.5, 12);
  });

  it("ranks qualified movies first, pulling few votes toward the mean", () => {
    const stats = {
      movieIds: Int32Array.from([1, 2, 3, 4]),
      counts: Int32Array.from([10, 1, 10, 5]),
      means: Float32Array.from([4, 5, 3, 4]),
    };
    // C = (40 + 5 + 30 + 20) / 26 = 95/26 = 3.654; m = 5. WR: movie 1 = 10/15*4 + 5/15*C = 3.885,
    // movie 4 = 5/10*4 + 5/10*C = 3.827, movie 3 = 3.218; movie 2 has 1 < m votes, so it comes last.
    const list = popularList(stats, { minVotes: 5, size: 10 });
    expect(list.map((e) => e.movieId)).toEqual([1, 4, 3, 2]);
    expect(list[0]!.weightedRating).toBeCloseTo((10 / 15) * 4 + (5 / 15) * (95 / 26), 6);
    expect(popularList(stats, { minVotes: 5, size: 2 }).map((e) => e.movieId)).toEqual([1, 4]);
    expect(
      popularList(
        { movieIds: new Int32Array(0), counts: new Int32Array(0), means: new Float32Array(0) },
        { minVotes: 5, size: 3 },
      ),
    ).toEqual([]);
  });

  it("ranks by favourite count when the training file had no ratings (favourites format)", () => {
    const none = { movieIds: new Int32Array(0), counts: new Int32Array(0), means: new Float32Array(0) };
    const favourites = { movieIds: Int32Array.from([7, 3, 9]), counts: Int32Array.from([5, 2, 2]) };
    expect(popularList(none, { minVotes: 5, size: 2 }, favourites)).toEqual([
      { movieId: 7, weightedRating: null, ratingCount: 0, ratingMean: null, favouriteCount: 5 },
      { movieId: 3, weightedRating: null, ratingCount: 0, ratingMean: null, favouriteCount: 2 },
    ]);
  });
});

describe("top genres", () => {
  it("sums member favourites per genre, ignoring '(no genres listed)'", () => {
    const genres: Record<number, string[]> = {
      1: ["Comedy", "Drama"],
      2: ["Drama"],
      3: ["(no genres listed)"],
    };
    expect(topGenres([1, 2, 3], [3, 2, 9], (id) => genres[id], 5)).toEqual([
      { genre: "Drama", count: 5 },
      { genre: "Comedy", count: 3 },
    ]);
  });
});
