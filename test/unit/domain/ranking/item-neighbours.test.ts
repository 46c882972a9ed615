import { describe, expect, it } from "vitest";
import {
  buildFavouriteMatrix,
  type SparseMatrix,
} from "../../../../shared/domain/clustering/sparse-matrix.js";
import { itemNeighbours, neighboursOf } from "../../../../shared/domain/ranking/item-neighbours.js";
import { ratingsTable } from "../../../helpers/matrix-fixtures.js";

/** Favourites: user 1 {1,2,3}, user 2 {1,2}, user 3 {2,3}, user 4 {4}; one non-favourite row (user 4, movie 1). */
function table(): SparseMatrix {
  return buildFavouriteMatrix(
    ratingsTable([
      [1, 1, 5],
      [1, 2, 4],
      [1, 3, 4],
      [2, 1, 4],
      [2, 2, 4.5],
      [3, 2, 4],
      [3, 3, 5],
      [4, 4, 4],
      [4, 1, 2],
    ]),
  );
}

const cosine = (perMovie: number) => ({ perMovie, similarity: { kind: "cosine" } as const });

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
    const n = itemNeighbours(table(), cosine(2));
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
    expect(list(itemNeighbours(table(), cosine(1)), 2)).toEqual([[1, s12]]);
  });

  it("looks up the neighbours of a user's favourites, skipping unknown movies", () => {
    const of = neighboursOf(itemNeighbours(table(), cosine(1)), [3, 99]);
    expect([...of.keys()]).toEqual([3]);
    expect([...of.get(3)!.keys()]).toEqual([2]);
    expect(() => itemNeighbours(table(), cosine(0))).toThrow(/perMovie/);
  });

  it("weights rp3beta by the walk movie -> person -> movie with a popularity penalty, and counts co-favourites", () => {
    // alpha 1, beta 1: W(1 -> 2) = 2^-1 x (1/3 + 1/2) / 3; W(1 -> 3) = 2^-1 x (1/3) / 2.
    const n = itemNeighbours(table(), { perMovie: 5, similarity: { kind: "rp3beta", alpha: 1, beta: 1 } });
    const [w12, w13] = list(n, 1).map(([, w]) => w);
    expect(list(n, 1).map(([movieId]) => movieId)).toEqual([2, 3]);
    expect(w12).toBeCloseTo((0.5 * (1 / 3 + 1 / 2)) / 3, 6);
    expect(w13).toBeCloseTo((0.5 * (1 / 3)) / 2, 6);
    const i = [...n.movieIds].indexOf(1);
    expect([...n.together.subarray(n.offsets[i]!, n.offsets[i + 1]!)]).toEqual([2, 1]);
    expect([...n.favourites]).toEqual([2, 3, 2, 1]);
    expect(() =>
      itemNeighbours(table(), { perMovie: 5, similarity: { kind: "rp3beta", alpha: -1, beta: 0 } }),
    ).toThrow(/alpha/);
  });

  it("gives the same lists through the long-list path (sorting) as through insertion", () => {
    const short = itemNeighbours(table(), cosine(3));
    const long = itemNeighbours(table(), cosine(1000));
    expect(long).toEqual(short);
  });
});
