/**
 * Item-based baselines over an ItemNeighbours index of the same train data: ItemKNN (cosine) and RP3beta.
 * Two ways to read the index: `favourites` sums, for each candidate, its weight in the neighbour list of each
 * of the user's favourites (what the recommendation route can read: the favourites' lists); `candidates` sums,
 * for each candidate, the weights of the user's favourites in the candidate's own list (the classic ItemKNN
 * of the reference, pruned per candidate).
 */
import { binarySearch } from "../clustering/sparse-matrix.js";
import type { ItemNeighbours } from "../ranking/item-neighbours.js";
import type { Recommender } from "./evaluation.js";

/** Which lists a score sums over (see the file comment). */
export type NeighbourDirection = "favourites" | "candidates";

/** Ranks by summed neighbour weights (ties to the smaller movieId); only movies with a positive score. */
export function neighbourRecommender(index: ItemNeighbours, direction: NeighbourDirection): Recommender {
  return (_userId, { favourites, exclude }, limit) => {
    const scores = new Map<number, number>();
    if (direction === "favourites") {
      for (const favourite of favourites) {
        const i = binarySearch(index.movieIds, favourite);
        if (i < 0) continue;
        for (let p = index.offsets[i]!; p < index.offsets[i + 1]!; p++) {
          const movieId = index.neighbours[p]!;
          if (!exclude.has(movieId)) scores.set(movieId, (scores.get(movieId) ?? 0) + index.similarities[p]!);
        }
      }
    } else {
      for (let i = 0; i < index.movieIds.length; i++) {
        const movieId = index.movieIds[i]!;
        if (exclude.has(movieId)) continue;
        let score = 0;
        for (let p = index.offsets[i]!; p < index.offsets[i + 1]!; p++) {
          if (favourites.has(index.neighbours[p]!)) score += index.similarities[p]!;
        }
        if (score > 0) scores.set(movieId, score);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([movieId]) => movieId);
  };
}
