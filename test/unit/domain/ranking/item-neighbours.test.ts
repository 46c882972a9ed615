import { describe, expect, it } from "vitest";
import { itemNeighbours, neighboursOf } from "../../../../shared/domain/ranking/item-neighbours.js";
import type { RatingsTable } from "../../../../shared/domain/input/ratings.js";
import { ratingsTable } from "../../../helpers/matrix-fixtures.js";

/** Favourites: user 1 {1,2,3}, user 2 {1,2}, user 3 {2,3}, user 4 {4}; one non-favourite row (user 4, movie 1). */
function table(): RatingsTable {
  return ratingsTable([
    [1, 1, 5],
    [1, 2, 4],
    [1, 3, 4],
    [2, 1, 4],
    [2, 2, 4.5],
    [3, 2, 4],
    [3, 3, 5],
    [4, 4, 4],
    [4, 1, 2],
  ]);
}

const list = (n: ReturnType<typeof itemNeighbours>, movieId: number): [number, number][] => {
  const i = [...n.movieIds].indexOf(movieId);
  return Array.from({ length: n.offsets[i + 1]! - n.offsets[i]! }, (_, p) => [
    n.neighbours[n.offsets[i]! + p]!,
    n.similarities[n.offsets[i]! + p]!,
  ]);
};

describe("itemNeighbours", () => {
  it("scores co-favourites by cosine and keeps the best, ties to the smaller movieId", () => {
    // Favourites per movie: 1 -> 2, 2 -> 3, 3 -> 2, 4 -> 1. Co-favourites: (1,2) 2, (1,3) 1, (2,3) 2.
    const n = itemNeighbours(table(), 2);
    const s12 = Math.fround(2 / Math.sqrt(6));
    expect([...n.movieIds]).toEqual([1, 2, 3, 4]);
    expect(list(n, 1)).toEqual([
      [2, s12],
      [3, 0.5],
    ]);
    expect(list(n, 2)).toEqual([
      [1, s12],
      [3, s12],
    ]);
    expect(list(n, 3)).toEqual([
      [2, s12],
      [1, 0.5],
    ]);
    expect(list(n, 4)).toEqual([]);
    expect(list(itemNeighbours(table(), 1), 2)).toEqual([[1, s12]]);
  });

  it("looks up the neighbours of a user's favourites, skipping unknown movies", () => {
    const of = neighboursOf(itemNeighbours(table(), 1), [3, 99]);
    expect([...of.keys()]).toEqual([3]);
    expect([...of.get(3)!.keys()]).toEqual([2]);
    expect(() => itemNeighbours(table(), 0)).toThrow(/perMovie/);
  });
});
