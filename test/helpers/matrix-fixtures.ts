/** Small matrices for the training tests, built by hand from dense rows or from user -> movies lists. */

import type { SparseMatrix } from "../../shared/domain/clustering/sparse-matrix.js";
import type { RatingsTable } from "../../shared/domain/input/ratings.js";

/** CSR of dense rows; binary (values null) when every non-zero is 1. Row and column ids are 1-based. */
export function sparseFromDense(dense: readonly (readonly number[])[]): SparseMatrix {
  const cols = dense[0]?.length ?? 0;
  const rowPtr = new Int32Array(dense.length + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  dense.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v !== 0) {
        colIdx.push(j);
        values.push(v);
      }
    });
    rowPtr[i + 1] = colIdx.length;
  });
  const binary = values.every((v) => v === 1);
  return {
    rows: dense.length,
    cols,
    nnz: colIdx.length,
    rowPtr,
    colIdx: Int32Array.from(colIdx),
    values: binary ? null : Float32Array.from(values),
    rowIds: Int32Array.from(dense, (_, i) => i + 1),
    colIds: Int32Array.from({ length: cols }, (_, j) => j + 1),
  };
}

/** A ratings table of [userId, movieId, rating] rows, every timestamp 0; a rating >= 4 is a favourite. */
export function ratingsTable(rows: readonly (readonly [number, number, number])[]): RatingsTable {
  return {
    length: rows.length,
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: new Uint32Array(rows.length),
    favourite: Uint8Array.from(rows, (r) => (r[2] >= 4 ? 1 : 0)),
  };
}

/** A ratings table where each listed (user, movie) is a favourite rated 5 and each extra row is rated 2. */
export function favouritesTable(
  favourites: Record<number, readonly number[]>,
  others: readonly (readonly [number, number, number])[] = [],
): RatingsTable {
  const rows: [number, number, number][] = [];
  for (const [user, movies] of Object.entries(favourites))
    for (const movie of movies) rows.push([Number(user), movie, 5]);
  return ratingsTable([...rows, ...others]);
}
