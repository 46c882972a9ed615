/**
 * EASE (Steck 2019), the evaluation's strongest baseline: a user's score for movie j is the sum of B[i][j]
 * over the user's favourites i (shared/domain/ranking/ease-weights.ts), restricted to the `maxMovies` most
 * favourited movies: a user's other favourites add nothing and other movies are never recommended. Full EASE
 * at MovieLens-25M's 59k movies would need a 28 GB matrix.
 */

import { buildFavouriteMatrix } from "../clustering/sparse-matrix.js";
import type { RatingsTable } from "../input/ratings.js";
import { type EaseOptions, easeWeights } from "../ranking/ease-weights.js";
import type { Recommender } from "./evaluation.js";

/** Trains EASE on the favourites of `train`, restricted to the most favourited movies. */
export function easeRecommender(train: RatingsTable, options: EaseOptions): Recommender {
  const matrix = buildFavouriteMatrix(train);
  const { n, kept, weights } = easeWeights(matrix, options);
  const movieIds = Array.from(kept, (column) => matrix.colIds[column]!);
  const slotOf = new Map(movieIds.map((movieId, s) => [movieId, s]));
  const scores = new Float64Array(n);
  return (_userId, { favourites, exclude }, limit) => {
    scores.fill(0);
    for (const movieId of favourites) {
      const s = slotOf.get(movieId);
      if (s === undefined) continue;
      const offset = s * n;
      for (let t = 0; t < n; t++) scores[t]! += weights[offset + t]!;
    }
    const order: number[] = [];
    for (let t = 0; t < n; t++) if (!exclude.has(movieIds[t]!)) order.push(t);
    order.sort((a, b) => scores[b]! - scores[a]! || movieIds[a]! - movieIds[b]!);
    return order.slice(0, limit).map((t) => movieIds[t]!);
  };
}
