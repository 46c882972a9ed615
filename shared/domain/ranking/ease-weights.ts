/**
 * EASE item weights (Steck 2019) over the most favourited movies: B = I - P / diag(P), P = (X^T X + lambda I)^-1
 * with X the binary favourites matrix restricted to those movies, diag(B) = 0. B[i][j] is how much liking i
 * says about liking j once every other kept movie is accounted for. Dense: movies^2 doubles and movies^3
 * multiply-adds, so only the `maxMovies` most favourited movies take part (2,000 movies: 32 MB).
 */

import type { SparseMatrix } from "../clustering/sparse-matrix.js";
import { ValidationError } from "../errors.js";
import { invertSpdInPlace } from "./spd-inverse.js";

/** Options of {@link easeWeights}. */
export interface EaseOptions {
  /** L2 regularisation, added to the Gram matrix's diagonal. */
  readonly lambda: number;
  /** Keep only this many movies, those with the most favourites (ties to the smaller column). */
  readonly maxMovies: number;
}

/** EASE weights over the kept columns. */
export interface EaseWeights {
  /** Number of kept columns. */
  readonly n: number;
  /** slot[column] is the column's row in `weights`, or -1 when the column was not kept. */
  readonly slot: Int32Array;
  /** kept[s] is the matrix column of slot s, ascending. */
  readonly kept: Int32Array;
  /** Row-major n x n: weights[s * n + t] = B[kept[s]][kept[t]], 0 on the diagonal. */
  readonly weights: Float32Array;
}

/** Computes EASE weights for the `maxMovies` most favourited columns of a binary favourites matrix. */
export function easeWeights(matrix: SparseMatrix, options: EaseOptions): EaseWeights {
  if (!(options.lambda > 0)) throw new ValidationError("lambda", "EASE's lambda must be positive");
  if (!Number.isInteger(options.maxMovies) || options.maxMovies < 1) {
    throw new ValidationError("maxMovies", "EASE's maxMovies must be a positive integer");
  }
  const popularity = new Int32Array(matrix.cols);
  for (let e = 0; e < matrix.nnz; e++) popularity[matrix.colIdx[e]!]!++;
  const kept = Int32Array.from(
    Array.from({ length: matrix.cols }, (_, j) => j)
      .sort((a, b) => popularity[b]! - popularity[a]! || a - b)
      .slice(0, options.maxMovies),
  ).sort();
  const n = kept.length;
  const slot = new Int32Array(matrix.cols).fill(-1);
  kept.forEach((column, s) => {
    slot[column] = s;
  });

  const gram = new Float64Array(n * n);
  const row = new Int32Array(n);
  for (let u = 0; u < matrix.rows; u++) {
    let length = 0;
    for (let e = matrix.rowPtr[u]!; e < matrix.rowPtr[u + 1]!; e++) {
      const s = slot[matrix.colIdx[e]!]!;
      if (s >= 0) row[length++] = s;
    }
    for (let x = 0; x < length; x++) {
      const offset = row[x]! * n;
      for (let y = 0; y < length; y++) gram[offset + row[y]!]! += 1;
    }
  }
  for (let s = 0; s < n; s++) gram[s * n + s]! += options.lambda;
  invertSpdInPlace(gram, n);
  const weights = new Float32Array(n * n);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < n; t++) {
      if (s !== t) weights[s * n + t] = -gram[s * n + t]! / gram[t * n + t]!;
    }
  }
  return { n, slot, kept, weights };
}
