import { describe, expect, it } from "vitest";
import { similarMovies } from "../../../../shared/domain/ranking/similar.js";

describe("similarMovies", () => {
  it("lists the positive neighbours in stored order with their counts, never a negative one", () => {
    const similar = similarMovies(
      { title: "Alien (1979)", favouriteCount: 61 },
      { movieIds: [5, 6, 7, 8], similarities: [0.9, 0.4, -0.2, -0.5], together: [45, 30, 3, 1] },
      new Set([6]),
      10,
    );
    expect(similar).toEqual([
      {
        movieId: 5,
        similarity: 0.9,
        likedByBoth: 45,
        reason: "liked by 45 of the 61 people who liked Alien",
      },
    ]);
  });
});
