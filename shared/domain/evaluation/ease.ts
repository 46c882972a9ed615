/**
 * EASE (Steck 2019), the evaluation's strongest baseline: item weights B = I - P / diag(P) with
 * P = (X^T X + lambda I)^-1 over the binary favourites matrix X, diag(B) = 0; a user's score for movie j is
 * the sum of B[i][j] over the user's favourites i. The Gram matrix is dense (movies^2 doubles), so it is
 * restricted to the `maxMovies` movies with the most favourites: a user's other favourites add nothing and
 * other movies are never recommended. Full EASE at MovieLens-25M's 59k movies would need a 28 GB matrix.
 */
import { ValidationError } from "../errors.js";
import type { RatingsTable } from "../input/ratings.js";
import { buildFavouriteMatrix } from "../clustering/sparse-matrix.js";
import type { Recommender } from "./evaluation.js";
import { invertSpdInPlace } from "./spd-inverse.js";

/** Options of {@link easeRecommender}. */
export interface EaseOptions {
  /** L2 regularisation, added to the Gram matrix's diagonal (EVALUATION.md: 200 random, 100 temporal). */
  readonly lambda: number;
  /** Keep only this many movies, those with the most favourites (ties to the smaller movieId). */
  readonly maxMovies: number;
}

/** Trains EASE on the favourites of `train`, restricted to the most favourited movies. */
export function easeRecommender(train: RatingsTable, options: EaseOptions): Recommender {
  if (!(options.lambda > 0)) throw new ValidationError("lambda", "EASE's lambda must be positive");
  if (!Number.isInteger(options.maxMovies) || options.maxMovies < 1) {
    throw new ValidationError("maxMovies", "EASE's maxMovies must be a positive integer");
  }
  const matrix = buildFavouriteMatrix(train);
  const popularity = new Int32Array(matrix.cols);
  for (let e = 0; e < matrix.nnz; e++) popularity[matrix.colIdx[e]!]!++;
  const kept = Array.from({ length: matrix.cols }, (_, j) => j)
    .sort((a, b) => popularity[b]! - popularity[a]! || a - b)
    .slice(0, options.maxMovies)
    .sort((a, b) => a - b);
  const n = kept.length;
  const slot = new Int32Array(matrix.cols).fill(-1);
  kept.forEach((column, i) => (slot[column] = i));

  const gram = new Float64Array(n * n);
  const row: number[] = [];
  for (let u = 0; u < matrix.rows; u++) {
    row.length = 0;
    for (let e = matrix.rowPtr[u]!; e < matrix.rowPtr[u + 1]!; e++) {
      const s = slot[matrix.colIdx[e]!]!;
      if (s >= 0) row.push(s);
    }
    for (const a of row) for (const b of row) gram[a * n + b]! += 1;
  }
  for (let i = 0; i < n; i++) gram[i * n + i]! += options.lambda;
  invertSpdInPlace(gram, n);
  // B[i][j] = -P[i][j] / P[j][j], diagonal 0; stored row-major in the same array.
  const diagonal = new Float64Array(n);
  for (let j = 0; j < n; j++) diagonal[j] = gram[j * n + j]!;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) gram[i * n + j] = i === j ? 0 : -gram[i * n + j]! / diagonal[j]!;
  }
  const movieIds = kept.map((column) => matrix.colIds[column]!);
  const slotOf = new Map(movieIds.map((movieId, i) => [movieId, i]));

  const scores = new Float64Array(n);
  return (_userId, { favourites, exclude }, limit) => {
    scores.fill(0);
    for (const movieId of favourites) {
      const i = slotOf.get(movieId);
      if (i === undefined) continue;
      const offset = i * n;
      for (let j = 0; j < n; j++) scores[j]! += gram[offset + j]!;
    }
    const order: number[] = [];
    for (let j = 0; j < n; j++) if (!exclude.has(movieIds[j]!)) order.push(j);
    order.sort((a, b) => scores[b]! - scores[a]! || movieIds[a]! - movieIds[b]!);
    return order.slice(0, limit).map((j) => movieIds[j]!);
  };
}
