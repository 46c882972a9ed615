/**
 * Merges the favourites people recorded and removed through the API into the ratings read from the file,
 * before training: the API is newer than the file, so it wins. Pure; the input table is not modified.
 */
import type { RatingsTable } from "./ratings.js";

/** One (user, movie) pair. */
export interface FavouritePair {
  readonly userId: number;
  readonly movieId: number;
}

/** The API's current state: pairs that are favourites now, and pairs whose favourite was removed. */
export interface ApiFavourites {
  readonly recorded: readonly FavouritePair[];
  readonly removed: readonly FavouritePair[];
}

/** What the merge changed. */
export interface MergeReport {
  /** Recorded pairs the file did not list at all: appended as favourite rows without a rating. */
  readonly appended: number;
  /** Recorded pairs the file listed below the favourite threshold: now favourites. */
  readonly promoted: number;
  /** Recorded pairs the file already had as favourites. */
  readonly alreadyFavourite: number;
  /** Removed pairs the file listed as favourites: now not favourites (the rating row stays). */
  readonly demoted: number;
}

/**
 * Applies API favourites to a ratings table: a recorded pair becomes a favourite (appended, without a
 * rating, when the file lacks it); a removed pair stops being one even though the file says otherwise. A
 * pair both recorded and removed is treated as removed (the store reports each pair in one state only).
 */
export function mergeApiFavourites(
  table: RatingsTable,
  api: ApiFavourites,
): { table: RatingsTable; report: MergeReport } {
  const wanted = new Map<number, Map<number, boolean>>();
  const mark = (pair: FavouritePair, favourite: boolean) => {
    let movies = wanted.get(pair.userId);
    if (!movies) {
      movies = new Map();
      wanted.set(pair.userId, movies);
    }
    if (!favourite || !movies.has(pair.movieId)) movies.set(pair.movieId, favourite);
  };
  for (const pair of api.recorded) mark(pair, true);
  for (const pair of api.removed) mark(pair, false);

  const favourite = table.favourite.slice();
  const seen = new Map<number, Set<number>>();
  let promoted = 0;
  let alreadyFavourite = 0;
  let demoted = 0;
  for (let i = 0; i < table.length; i++) {
    const movies = wanted.get(table.userIds[i]!);
    if (!movies) continue;
    const movieId = table.movieIds[i]!;
    const want = movies.get(movieId);
    if (want === undefined) continue;
    let seenMovies = seen.get(table.userIds[i]!);
    if (!seenMovies) {
      seenMovies = new Set();
      seen.set(table.userIds[i]!, seenMovies);
    }
    seenMovies.add(movieId);
    if (want && favourite[i] === 1) alreadyFavourite++;
    else if (want) {
      favourite[i] = 1;
      promoted++;
    } else if (favourite[i] === 1) {
      favourite[i] = 0;
      demoted++;
    }
  }

  const extra: FavouritePair[] = [];
  for (const [userId, movies] of wanted) {
    for (const [movieId, want] of movies) {
      if (want && !seen.get(userId)?.has(movieId)) extra.push({ userId, movieId });
    }
  }
  extra.sort((a, b) => a.userId - b.userId || a.movieId - b.movieId);

  const length = table.length + extra.length;
  const grow = <T extends Int32Array | Float32Array | Uint32Array | Uint8Array>(
    source: T,
    make: (n: number) => T,
  ): T => {
    if (extra.length === 0) return source;
    const out = make(length);
    out.set(source);
    return out;
  };
  const userIds = grow(table.userIds, (n) => new Int32Array(n));
  const movieIds = grow(table.movieIds, (n) => new Int32Array(n));
  const ratings = grow(table.ratings, (n) => new Float32Array(n));
  const timestamps = grow(table.timestamps, (n) => new Uint32Array(n));
  const favourites = grow(favourite, (n) => new Uint8Array(n));
  extra.forEach((pair, j) => {
    const i = table.length + j;
    userIds[i] = pair.userId;
    movieIds[i] = pair.movieId;
    ratings[i] = Number.NaN;
    timestamps[i] = 0;
    favourites[i] = 1;
  });
  return {
    table: { length, userIds, movieIds, ratings, timestamps, favourite: favourites },
    report: { appended: extra.length, promoted, alreadyFavourite, demoted },
  };
}
