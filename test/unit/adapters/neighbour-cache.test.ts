import { describe, expect, it } from "vitest";
import { NeighbourCache } from "../../../shared/adapters/dynamo-recommendation-reader.js";

/** A cached list of `n` neighbours. */
function list(n: number) {
  return {
    title: "t",
    entry: {
      likedBy: 1,
      neighbours: {
        movieIds: new Int32Array(n),
        weights: new Float32Array(n),
        together: new Int32Array(n),
      },
    },
  };
}

describe("NeighbourCache", () => {
  it("keeps lists per version and movie, including a movie known to have none", () => {
    const cache = new NeighbourCache();
    cache.set("v1", 1, list(3));
    cache.set("v1", 2, null);
    expect(cache.get("v1", 1)?.entry.neighbours.movieIds).toHaveLength(3);
    expect(cache.get("v1", 2)).toBeNull();
    expect(cache.get("v2", 1)).toBeUndefined();
  });

  it("starts over when the neighbours held would pass its capacity, not at a count of movies", () => {
    // Each entry holds its neighbours plus one: 201 here, so four fit in 1,000 and the fifth clears.
    const cache = new NeighbourCache(1_000);
    for (let movieId = 1; movieId <= 4; movieId++) cache.set("v", movieId, list(200));
    expect([1, 2, 3, 4].every((movieId) => cache.get("v", movieId) !== undefined)).toBe(true);
    cache.set("v", 5, list(200));
    expect(cache.get("v", 1)).toBeUndefined();
    expect(cache.get("v", 5)).toBeDefined();
    // Small entries: many more movies fit in the same capacity.
    const small = new NeighbourCache(1_000);
    for (let movieId = 1; movieId <= 500; movieId++) small.set("v", movieId, null);
    expect(small.get("v", 1)).toBeNull();
  });
});
