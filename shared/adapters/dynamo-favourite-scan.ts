import type { TableRef } from "./dynamo-client.js";
import { queryAll } from "./dynamo-client.js";
import { S } from "./dynamo-codec.js";
import { favouriteShardPk, SHARDS } from "./dynamo-keys.js";
import { type FavouriteItem, parseFavourite } from "./dynamo-user-state.js";

/** An API-recorded favourite as a training run merges it: active ones are favourites, removed ones are not. */
export interface FavouriteRecord {
  readonly userId: number;
  readonly movieId: number;
  readonly state: "active" | "removed";
  readonly updatedAt: number;
}

/** Reads every API-recorded favourite item (all shards, strongly consistent), ordered by user then movie. */
export async function readAllFavourites(table: TableRef): Promise<FavouriteItem[]> {
  const shards = await Promise.all(
    Array.from({ length: SHARDS }, (_, shard) =>
      queryAll(table, {
        keyCondition: "pk = :pk",
        values: { ":pk": S(favouriteShardPk(shard)) },
        consistent: true,
      }),
    ),
  );
  return shards
    .flat()
    .map(parseFavourite)
    .sort((a, b) => a.userId - b.userId || a.movieId - b.movieId);
}

/**
 * The snapshot a training run merges into its input: every API favourite and removal tombstone. A training run
 * takes it before reading the ratings; anything recorded later is caught up by publishModelVersion.
 */
export async function snapshotFavourites(table: TableRef): Promise<FavouriteRecord[]> {
  return (await readAllFavourites(table)).map(({ userId, movieId, state, updatedAt }) => ({
    userId,
    movieId,
    state,
    updatedAt,
  }));
}
