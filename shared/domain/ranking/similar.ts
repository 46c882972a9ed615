/**
 * Similar movies: a movie's stored item neighbours (people who favourited it also favourited these), in
 * stored order (similarity, then movieId), each explained with the counts behind it.
 */
import { parseTitle } from "../catalogue/titles.js";

/** A movie's stored neighbours, parallel arrays in stored order. */
export interface StoredNeighbours {
  readonly movieIds: ArrayLike<number>;
  readonly similarities: ArrayLike<number>;
  /** People who favourited both; absent in versions trained before it was stored. */
  readonly together: ArrayLike<number> | null;
}

/** One similar movie and why. */
export interface SimilarMovie {
  readonly movieId: number;
  /** The stored neighbour weight (> 0; negative neighbours are never shown): the order of the list. */
  readonly similarity: number;
  /** People who favourited both, or null when the version did not store it. */
  readonly likedByBoth: number | null;
  readonly reason: string;
}

/**
 * The neighbours of `movie` minus `exclude` (the caller's seen movies), at most `limit`: "liked by 45 of the
 * 61 people who liked Alien" (45 favourited both, 61 favourited Alien, in the training data).
 */
export function similarMovies(
  movie: { readonly title: string; readonly favouriteCount: number },
  neighbours: StoredNeighbours,
  exclude: ReadonlySet<number>,
  limit: number,
): SimilarMovie[] {
  const name = parseTitle(movie.title).name || "this movie";
  const out: SimilarMovie[] = [];
  for (let i = 0; i < neighbours.movieIds.length && out.length < limit; i++) {
    const movieId = neighbours.movieIds[i]!;
    if (exclude.has(movieId) || !(neighbours.similarities[i]! > 0)) continue;
    const both = neighbours.together ? neighbours.together[i]! : null;
    const people = movie.favouriteCount === 1 ? "person" : "people";
    out.push({
      movieId,
      similarity: Math.round(neighbours.similarities[i]! * 10_000) / 10_000,
      likedByBoth: both,
      reason:
        both === null
          ? `often liked by the people who liked ${name}`
          : `liked by ${both} of the ${movie.favouriteCount} ${people} who liked ${name}`,
    });
  }
  return out;
}
