/**
 * How well a movie's genres match a few picks' genres, for recommendations from picks: the cosine between
 * genre vectors in which each genre weighs its inverse document frequency over the catalogue, so that sharing
 * Animation or Children (few movies) says more than sharing Drama or Comedy (many). Pure.
 */

/** Each genre's weight, ln(catalogue movies / movies with the genre): 0 for a genre every movie has. */
export type GenreWeights = ReadonlyMap<string, number>;

/** The genre weights of a catalogue from its genre counts (`movies` is the catalogue's size). */
export function genreWeights(
  counts: readonly { readonly genre: string; readonly movies: number }[],
  movies: number,
): GenreWeights {
  const weights = new Map<string, number>();
  for (const { genre, movies: withGenre } of counts) {
    if (withGenre > 0 && movies >= withGenre) weights.set(genre, Math.log(movies / withGenre));
  }
  return weights;
}

/** A set of movies' genre vector: each genre's weight times how many of the movies carry it. */
export interface GenreProfile {
  readonly vector: ReadonlyMap<string, number>;
  readonly norm: number;
}

/** The picks' genre profile (genres the weights do not know count 0). */
export function genreProfile(
  genresOfPicks: Iterable<readonly string[]>,
  weights: GenreWeights,
): GenreProfile {
  const vector = new Map<string, number>();
  for (const genres of genresOfPicks) {
    for (const genre of new Set(genres)) {
      const weight = weights.get(genre) ?? 0;
      if (weight > 0) vector.set(genre, (vector.get(genre) ?? 0) + weight);
    }
  }
  let squares = 0;
  for (const x of vector.values()) squares += x * x;
  return { vector, norm: Math.sqrt(squares) };
}

/**
 * The cosine, 0 to 1, between the profile and one movie's genre vector (each of its genres at its weight):
 * 1 when the movie's genres are spread as the picks' are, 0 when it shares none of them.
 */
export function genreMatch(profile: GenreProfile, genres: readonly string[], weights: GenreWeights): number {
  if (profile.norm === 0) return 0;
  let dot = 0;
  let squares = 0;
  for (const genre of new Set(genres)) {
    const weight = weights.get(genre) ?? 0;
    if (weight <= 0) continue;
    squares += weight * weight;
    dot += weight * (profile.vector.get(genre) ?? 0);
  }
  return squares === 0 ? 0 : dot / (profile.norm * Math.sqrt(squares));
}
