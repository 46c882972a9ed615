/**
 * Where a set of movies sits among a version's taste groups, measured the way training measures closeness
 * (read side): the version's geometry, cluster sizes and centroid norms (`cn` on each cluster profile, one
 * Query and the metadata item) and the movies' centroid coordinates (`cc` on their global count items, one
 * BatchGetItem), placed by the domain's placeByCloseness. POST /recommendations places picks this way, and
 * recording favourites places a new user this way.
 */
import { StoreError } from "../domain/errors.js";
import type { PicksInputs } from "../domain/ports.js";
import { type PlacedMembership, placeByCloseness } from "../domain/ranking/placement.js";
import { TRAINING_DEFAULTS } from "../domain/settings.js";
import { batchGetAll } from "./dynamo-batch.js";
import { queryAll, type TableRef } from "./dynamo-client.js";
import { readN, readS, S, unpackFloat32 } from "./dynamo-codec.js";
import { nearestClusterIn } from "./dynamo-count-reader.js";
import {
  CLUSTER_SK_PREFIX,
  clusterIdOfSk,
  countPk,
  GLOBAL,
  movieIdOfSk,
  movieSk,
  versionPk,
} from "./dynamo-keys.js";
import { readVersionMeta } from "./dynamo-version-meta.js";

/** A version's clusters as placement sees them. */
export interface ClusterSpace {
  readonly geometry: PicksInputs["geometry"];
  readonly sizes: number[];
  /** ||centroid||^2 by cluster id; NaN for versions written before centroids were stored. */
  readonly norms2: number[];
}

/** Reads a version's geometry, cluster sizes and centroid norms (one Query, one GetItem, in parallel). */
export async function readClusterSpace(table: TableRef, version: string): Promise<ClusterSpace> {
  const [items, meta] = await Promise.all([
    queryAll(table, {
      keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
      values: { ":pk": S(versionPk(version)), ":prefix": S(CLUSTER_SK_PREFIX) },
      projection: "sk, size, cn",
    }),
    readVersionMeta(table, version),
  ]);
  if (!meta) throw new StoreError(`version ${version} has no metadata item`);
  const sizes: number[] = [];
  const norms2: number[] = [];
  for (const item of items) {
    const clusterId = clusterIdOfSk(readS(item, "sk"));
    sizes[clusterId] = readN(item, "size");
    // Versions written before centroids were stored: no placement by closeness (norm NaN).
    norms2[clusterId] = item.cn ? readN(item, "cn") : Number.NaN;
  }
  return { geometry: meta.info.params.geometry, sizes, norms2 };
}

/** At most this many favourites place a user (their most recent ones come first in the caller's list). */
const MAX_PLACING_FAVOURITES = 100;

/**
 * Places a user the version has no item for by their favourites, as POST /recommendations places picks: soft
 * membership over the `membershipWidth` nearest groups, strongest first. A version without stored centroids,
 * or favourites no one favourited in training, fall back to the cluster covering most of them
 * (nearestClusterIn, weight 1). Reads only.
 */
export async function placeFavouritesIn(
  table: TableRef,
  userId: number,
  version: string,
  favourites: readonly number[],
): Promise<PlacedMembership[]> {
  const movies = [...new Set(favourites)].slice(0, MAX_PLACING_FAVOURITES);
  const [space, items] = await Promise.all([
    readClusterSpace(table, version),
    batchGetAll(
      table.client,
      table.tableName,
      movies.map((id) => ({ pk: S(countPk(version, GLOBAL)), sk: S(movieSk(id)) })),
      { projection: "sk, cc", policy: table.retry },
    ),
  ]);
  const coords = new Map<number, Float32Array>();
  for (const item of items)
    if (item.cc?.B) coords.set(movieIdOfSk(readS(item, "sk")), unpackFloat32(item.cc.B));
  const memberships = space.norms2.some((n) => Number.isNaN(n))
    ? []
    : placeByCloseness(
        movies,
        { ...space, coordsOf: (movieId) => coords.get(movieId) },
        { width: TRAINING_DEFAULTS.membershipWidth, sharpness: TRAINING_DEFAULTS.membershipSharpness },
      );
  if (memberships.length > 0) return memberships;
  return [{ clusterId: await nearestClusterIn(table, userId, version, movies), weight: 1 }];
}
