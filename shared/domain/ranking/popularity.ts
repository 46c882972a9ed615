/**
 * The popular-movies list for people with no history: IMDb's weighted rating, which pulls a movie with few
 * ratings toward the mean of all ratings, so one 5-star vote does not top the list.
 */

/** One movie on the popular list. */
export interface PopularEntry {
  readonly movieId: number;
  /** null when the training file had no ratings (the two-column favourites format). */
  readonly weightedRating: number | null;
  readonly ratingCount: number;
  readonly ratingMean: number | null;
  /** People whose favourite it is in the training data. */
  readonly favouriteCount: number;
}

/** Per-movie rating statistics (TrainedModel.movieRatings). */
export interface MovieRatingStats {
  readonly movieIds: Int32Array;
  readonly counts: Int32Array;
  readonly means: Float32Array;
}

/** IMDb weighted rating WR = v/(v+m)*R + m/(v+m)*C: R the movie's mean, v its votes, m the minimum votes, C the mean of all. */
export function weightedRating(v: number, R: number, m: number, C: number): number {
  if (v + m === 0) return C;
  return (v / (v + m)) * R + (m / (v + m)) * C;
}

/** Favourite counts over everyone, sorted by count descending then movieId (TrainedModel.global). */
export interface FavouriteCounts {
  readonly movieIds: Int32Array;
  readonly counts: Int32Array;
}

/**
 * The popular list, best first: movies with at least `minVotes` ratings ranked by weighted rating, then (only
 * if fewer than `size` qualify) the others by weighted rating. Ties go to more votes, then the smaller id.
 * When the training file had no ratings at all (favourites format), the movies with the most favourites.
 */
export function popularList(
  stats: MovieRatingStats,
  options: { readonly minVotes: number; readonly size: number },
  favourites: FavouriteCounts = { movieIds: new Int32Array(0), counts: new Int32Array(0) },
): PopularEntry[] {
  const favouriteOf = new Map<number, number>();
  favourites.movieIds.forEach((id, i) => {
    favouriteOf.set(id, favourites.counts[i]!);
  });
  let votes = 0;
  let sum = 0;
  for (let i = 0; i < stats.movieIds.length; i++) {
    votes += stats.counts[i]!;
    sum += stats.counts[i]! * stats.means[i]!;
  }
  if (votes === 0) {
    const size = Math.min(options.size, favourites.movieIds.length);
    return Array.from({ length: size }, (_, i) => ({
      movieId: favourites.movieIds[i]!,
      weightedRating: null,
      ratingCount: 0,
      ratingMean: null,
      favouriteCount: favourites.counts[i]!,
    }));
  }
  const C = sum / votes;
  const m = options.minVotes;
  const entries: PopularEntry[] = [];
  for (let i = 0; i < stats.movieIds.length; i++) {
    const v = stats.counts[i]!;
    if (v <= 0) continue;
    const R = stats.means[i]!;
    entries.push({
      movieId: stats.movieIds[i]!,
      weightedRating: weightedRating(v, R, m, C),
      ratingCount: v,
      ratingMean: R,
      favouriteCount: favouriteOf.get(stats.movieIds[i]!) ?? 0,
    });
  }
  const order = (a: PopularEntry, b: PopularEntry) =>
    b.weightedRating! - a.weightedRating! || b.ratingCount - a.ratingCount || a.movieId - b.movieId;
  const qualified = entries.filter((e) => e.ratingCount >= m).sort(order);
  if (qualified.length >= options.size) return qualified.slice(0, options.size);
  const rest = entries.filter((e) => e.ratingCount < m).sort(order);
  return [...qualified, ...rest].slice(0, options.size);
}

/** The genres a cluster favours most: each member favourite counts once for each of the movie's genres. */
export function topGenres(
  movieIds: ArrayLike<number>,
  counts: ArrayLike<number>,
  genresOf: (movieId: number) => readonly string[] | undefined,
  limit: number,
): { genre: string; count: number }[] {
  const totals = new Map<string, number>();
  for (let i = 0; i < movieIds.length; i++) {
    for (const genre of genresOf(movieIds[i]!) ?? []) {
      if (genre === "(no genres listed)") continue;
      totals.set(genre, (totals.get(genre) ?? 0) + counts[i]!);
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([genre, count]) => ({ genre, count }));
}
