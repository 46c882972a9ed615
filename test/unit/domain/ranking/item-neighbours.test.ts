import { describe, expect, it } from "vitest";
import {
  buildFavouriteMatrix,
  type SparseMatrix,
} from "../../../../shared/domain/clustering/sparse-matrix.js";
import { easeWeights } from "../../../../shared/domain/ranking/ease-weights.js";
import { itemNeighbours, neighbourListsOf } from "../../../../shared/domain/ranking/item-neighbours.js";
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
    const of = neighbourListsOf(itemNeighbours(table(), cosine(1)), [3, 99]);
    expect([...of.keys()]).toEqual([3]);
    expect(Array.from(of.get(3)!.movieIds)).toEqual([2]);
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

  it("keeps signed EASE weights among the EASE movies, rp3beta x rp3Share elsewhere, largest |weight| first kept", () => {
    // lambda 0.5 over movies 1-3 (easeMovies 3): B(1 -> 2) = 0.5714, B(1 -> 3) = -0.1053 (co-favourited once,
    // explained away by movie 2), B(2 -> 1) = B(2 -> 3) = 0.6316. Movie 4 is outside EASE and shares no one.
    const similarity = {
      kind: "ease-signed",
      alpha: 0.5,
      beta: 0.5,
      lambda: 0.5,
      easeMovies: 3,
      rp3Share: 0.25,
    } as const;
    const n = itemNeighbours(table(), { perMovie: 5, similarity });
    const ease = easeWeights(table(), { lambda: 0.5, maxMovies: 3 });
    const b = (s: number, t: number) => ease.weights[s * ease.n + t]!;
    // The scale: 1 / the mean over EASE rows of the largest |B| in the row.
    const scale = 3 / (Math.abs(b(0, 1)) + Math.abs(b(1, 0)) + Math.abs(b(2, 1)));
    const [m12, w12] = list(n, 1)[0]!;
    const [m13, w13] = list(n, 1)[1]!;
    expect([m12, m13]).toEqual([2, 3]);
    expect(w12).toBeCloseTo(b(0, 1) * scale, 5);
    expect(b(0, 2)).toBeLessThan(0);
    expect(w13).toBeCloseTo(b(0, 2) * scale, 5);
    expect(list(n, 4)).toEqual([]);
    // perMovie 1 keeps the largest |weight|; the order within a list is by weight, positive first.
    expect(list(itemNeighbours(table(), { perMovie: 1, similarity }), 1).map(([m]) => m)).toEqual([2]);
    // Outside EASE's movies (easeMovies 1: only movie 2), rp3beta / its row maximum x rp3Share: the
    // best rp3beta neighbour of movie 1 outside EASE weighs exactly 0.25 when it is the row's maximum.
    const fill = itemNeighbours(table(), { perMovie: 5, similarity: { ...similarity, easeMovies: 1 } });
    expect(Math.max(...list(fill, 1).map(([, w]) => w))).toBeCloseTo(0.25, 6);
    expect(() =>
      itemNeighbours(table(), { perMovie: 5, similarity: { ...similarity, rp3Share: -1 } }),
    ).toThrow(/rp3Share/);
  });

  it("gives the same lists through the long-list path (sorting) as through insertion", () => {
    const short = itemNeighbours(table(), cosine(3));
    const long = itemNeighbours(table(), cosine(1000));
    expect(long).toEqual(short);
  });
});
