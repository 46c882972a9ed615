import { ThrottledError } from "../domain/errors.js";
import type { MovieSummary } from "../domain/ports.js";
import { runPool } from "./dynamo-batch.js";
import type { TableRef } from "./dynamo-client.js";
import { readAllFavourites } from "./dynamo-favourite-scan.js";
import { commitFavouriteChange } from "./dynamo-favourite-writer.js";
import { readMovie } from "./dynamo-movie-reader.js";
import { ensurePlacement } from "./dynamo-placement.js";
import { type FavouriteItem, includedIn, readFavouriteItems, readUserVersion } from "./dynamo-user-state.js";

const MAX_ROUNDS = 12;

/**
 * Brings one user's favourites into the pending version: for each favourite whose inclusion in the version's
 * counts differs from its state, one transaction adds or removes it and marks it counted. A user the version
 * has no item for is placed first (only if they have an active favourite). Returns the changes committed.
 */
async function catchUpUser(
  table: TableRef,
  version: string,
  userId: number,
  movies: Map<number, Promise<MovieSummary | null>>,
): Promise<number> {
  let changes = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const favourites = await readFavouriteItems(table, userId);
    let user = await readUserVersion(table, userId, version);
    const due = [...favourites.values()].filter(
      (f) => includedIn(version, f.movieId, f, user) !== (f.state === "active"),
    );
    if (due.length === 0) return changes;
    if (!user) {
      const active = [...favourites.values()].filter((f) => f.state === "active").map((f) => f.movieId);
      user = await ensurePlacement(table, userId, version, active);
    }
    let raced = false;
    for (const favourite of due) {
      const movie = await movieOf(table, movies, favourite);
      const result = await commitFavouriteChange(table, {
        userId,
        movie,
        observed: favourite,
        state: favourite.state,
        targets: [
          {
            version,
            clusterId: user.clusterId,
            included: includedIn(version, favourite.movieId, favourite, user),
          },
        ],
        pointer: null,
        pendingReady: version,
        nowMs: favourite.updatedAt,
      });
      if (result === "committed") changes++;
      else raced = true;
    }
    if (!raced) return changes;
  }
  throw new ThrottledError(`catch-up of user ${userId} kept racing with favourite writes`);
}

function movieOf(
  table: TableRef,
  cache: Map<number, Promise<MovieSummary | null>>,
  favourite: FavouriteItem,
): Promise<MovieSummary> {
  let found = cache.get(favourite.movieId);
  if (!found) {
    found = readMovie(table, favourite.movieId);
    cache.set(favourite.movieId, found);
  }
  return found.then((movie) => movie ?? { movieId: favourite.movieId, title: "", genres: [] });
}

/**
 * The catch-up pass of a publish: with the pending version `ready` (so new favourite writes count in it
 * themselves), reconciles every API favourite with the version's counts, idempotently. Returns the number
 * of favourites added or removed.
 */
export async function catchUpPendingVersion(
  table: TableRef,
  version: string,
  concurrency = 4,
): Promise<number> {
  const favourites = await readAllFavourites(table);
  const users = [...new Set(favourites.map((f) => f.userId))];
  const movies = new Map<number, Promise<MovieSummary | null>>();
  const changes = await runPool(
    users.map((userId) => () => catchUpUser(table, version, userId, movies)),
    concurrency,
  );
  return changes.reduce((a, b) => a + b, 0);
}
