import * as z from "zod/mini";
import { type CatalogueMovie, genreCounts } from "../domain/catalogue/catalogue.js";
import type { ClusterSummary } from "../domain/catalogue/cluster-summaries.js";
import { createTitleIndex } from "../domain/catalogue/search.js";
import { NotFoundError, StoreError } from "../domain/errors.js";
import type { CatalogueReader, LoadedCatalogue, MovieFigures } from "../domain/ports.js";
import { batchGetAll } from "./dynamo-batch.js";
import { unpackCatalogueChunk } from "./dynamo-catalogue-codec.js";
import { getItem, queryAll, type TableRef } from "./dynamo-client.js";
import { type Item, readJson, readN, readPacked, readS, S, unpackFloat32 } from "./dynamo-codec.js";
import {
  CATALOGUE_SK_PREFIX,
  CHART_SK,
  CLUSTER_SK_PREFIX,
  clusterIdOfSk,
  clusterOfCountPk,
  countPk,
  GLOBAL,
  movieSk,
  versionPk,
} from "./dynamo-keys.js";
import { readPointer } from "./dynamo-pointer.js";
import { effectiveFavourites, readUserState } from "./dynamo-user-state.js";

/**
 * Reads for the catalogue routes. A version's catalogue and cluster summaries never change once written, so
 * a warm container loads them once per version (one Query each: ~5 items for 10k movies, ~31 for 62k) and
 * answers searches from memory; each request still reads the pointer, so a new version is picked up at once.
 */

async function activeVersion(table: TableRef): Promise<string> {
  const pointer = await readPointer(table);
  if (!pointer.active) throw new NotFoundError("model", "no model has been trained yet");
  return pointer.active.version;
}

async function loadCatalogue(table: TableRef, version: string): Promise<LoadedCatalogue> {
  const items = await queryAll(table, {
    keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
    values: { ":pk": S(versionPk(version)), ":prefix": S(CATALOGUE_SK_PREFIX) },
  });
  const movies: CatalogueMovie[] = [];
  for (const item of items) {
    const data = item.data?.B;
    if (data === undefined) throw new StoreError(`catalogue item ${readS(item, "sk")} has no data`);
    movies.push(...unpackCatalogueChunk(data));
  }
  return {
    version,
    index: createTitleIndex(movies),
    byId: new Map(movies.map((movie) => [movie.movieId, movie])),
    genres: genreCounts(movies),
  };
}

const summarySchema = z.object({
  clusterId: z.number(),
  size: z.number(),
  label: z.string(),
  distinctiveGenres: z.array(
    z.object({
      genre: z.string(),
      favourites: z.number(),
      share: z.number(),
      overallShare: z.number(),
      lift: z.number(),
    }),
  ),
  distinctiveMovies: z.array(
    z.object({
      movieId: z.number(),
      title: z.string(),
      likedBy: z.number(),
      share: z.number(),
      overallShare: z.number(),
      lift: z.number(),
    }),
  ),
});

function parseSummary(item: Item): ClusterSummary {
  const parsed = z.safeParse(summarySchema, readJson(item, "summary"));
  if (!parsed.success) throw new StoreError("cluster summary is malformed", { cause: parsed.error });
  return parsed.data;
}

async function loadClusters(table: TableRef, version: string): Promise<ClusterSummary[]> {
  const items = await queryAll(table, {
    keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
    values: { ":pk": S(versionPk(version)), ":prefix": S(CLUSTER_SK_PREFIX) },
  });
  return items.map((item) =>
    item.summary
      ? parseSummary(item)
      : // Versions written before summaries were stored: size only.
        {
          clusterId: clusterIdOfSk(readS(item, "sk")),
          size: readN(item, "size"),
          label: "",
          distinctiveGenres: [],
          distinctiveMovies: [],
        },
  );
}

/** Remembers one value per version: the latest version asked for (older ones are dropped). */
function perVersion<T>(load: (version: string) => Promise<T>): (version: string) => Promise<T> {
  let cached: { version: string; value: Promise<T> } | null = null;
  return (version) => {
    if (cached?.version !== version) {
      const value = load(version);
      cached = { version, value };
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  };
}

/** Binds the catalogue routes' reads to a table. */
export function bindCatalogueReader(table: TableRef): CatalogueReader {
  const catalogueOf = perVersion((version) => loadCatalogue(table, version));
  const clustersOf = perVersion((version) => loadClusters(table, version));
  return {
    async catalogue() {
      return catalogueOf(await activeVersion(table));
    },
    catalogueOf,
    async clusters() {
      const version = await activeVersion(table);
      return { version, clusters: await clustersOf(version) };
    },
    async movieFigures(version, movieId, clusters): Promise<MovieFigures> {
      const keys = [GLOBAL as number | typeof GLOBAL, ...Array.from({ length: clusters }, (_, c) => c)].map(
        (cluster) => ({
          pk: S(countPk(version, cluster)),
          sk: S(movieSk(movieId)),
        }),
      );
      const items = await batchGetAll(table.client, table.tableName, keys, {
        projection: "pk, gsi1sk, nb, ns, nt",
        policy: table.retry,
      });
      let favouriteCount = 0;
      let neighbours: MovieFigures["neighbours"] = null;
      const clusterCounts = new Map<number, number>();
      for (const item of items) {
        const pk = readS(item, "pk");
        const count = readN(item, "gsi1sk");
        if (pk === countPk(version, GLOBAL)) {
          favouriteCount = count;
          const ids = readPacked(item, "nb");
          if (ids.length > 0) {
            const similarities = item.ns?.B ? unpackFloat32(item.ns.B) : new Float32Array(0);
            const together = item.nt ? readPacked(item, "nt") : null;
            if (similarities.length !== ids.length || (together && together.length !== ids.length)) {
              throw new StoreError(`neighbours of movie ${movieId} differ in length`);
            }
            neighbours = { movieIds: ids, similarities, together };
          }
        } else if (count > 0) {
          clusterCounts.set(clusterOfCountPk(pk) as number, count);
        }
      }
      return { favouriteCount, clusterCounts, neighbours };
    },
    async seenBy(userId, version) {
      const state = await readUserState(table, userId);
      const seen = effectiveFavourites(state, version);
      for (const favourite of state.favourites.values()) seen.add(favourite.movieId);
      for (const movieId of state.versions.get(version)?.seen ?? []) seen.add(movieId);
      for (const movieId of state.dismissed) seen.add(movieId);
      return seen;
    },
    async chart() {
      const version = await activeVersion(table);
      const item = await getItem(table, { pk: versionPk(version), sk: CHART_SK });
      return item ? { version, svg: readS(item, "svg") } : null;
    },
  };
}
