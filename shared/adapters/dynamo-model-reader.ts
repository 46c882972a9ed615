/** The active model as the API shows it (read side): its popular list, a cluster's profile, its metadata. */
import * as z from "zod/mini";
import { NotFoundError, StoreError } from "../domain/errors.js";
import type { ClusterProfile, ModelInfo, PopularMovie } from "../domain/ports.js";
import { getItem, type TableRef } from "./dynamo-client.js";
import { readJson, readN } from "./dynamo-codec.js";
import { topMovies } from "./dynamo-count-reader.js";
import { clusterSk, POPULAR_SK, versionPk } from "./dynamo-keys.js";
import { readPointer, requireActive } from "./dynamo-pointer.js";
import { readVersionMeta } from "./dynamo-version-meta.js";

const popularSchema = z.array(
  z.object({
    movieId: z.number(),
    title: z.string(),
    genres: z.array(z.string()),
    weightedRating: z.nullable(z.number()),
    ratingCount: z.number(),
    ratingMean: z.nullable(z.number()),
    // Versions written before favourite counts were stored lack it.
    favouriteCount: z._default(z.number(), 0),
  }),
);

/** The active version's popular list (one item), sliced to the page. */
export async function readPopularMovies(
  table: TableRef,
  page: { limit: number; offset: number },
): Promise<{ version: string; movies: PopularMovie[] }> {
  const { version } = requireActive(await readPointer(table));
  const item = await getItem(table, { pk: versionPk(version), sk: POPULAR_SK });
  if (!item) throw new StoreError(`version ${version} has no popular list`);
  const parsed = z.safeParse(popularSchema, readJson(item, "list"));
  if (!parsed.success) throw new StoreError("popular list is malformed", { cause: parsed.error });
  return { version, movies: parsed.data.slice(page.offset, page.offset + page.limit) };
}

const genresSchema = z.array(z.object({ genre: z.string(), count: z.number() }));

/** A cluster's profile in the active version: size, top movies by live count, top genres. */
export async function readClusterProfile(
  table: TableRef,
  clusterId: number,
  topN: number,
): Promise<ClusterProfile> {
  const { version } = requireActive(await readPointer(table));
  const [item, top] = await Promise.all([
    getItem(table, { pk: versionPk(version), sk: clusterSk(clusterId) }),
    topMovies(table, version, clusterId, topN),
  ]);
  if (!item) throw new NotFoundError("cluster", `cluster ${clusterId} does not exist in model ${version}`);
  const genres = z.safeParse(genresSchema, readJson(item, "topGenres"));
  if (!genres.success) throw new StoreError("cluster top genres are malformed", { cause: genres.error });
  return {
    version,
    clusterId,
    size: readN(item, "size"),
    topMovies: top.filter((t) => t.count > 0).map((t) => ({ ...t.movie, likedBy: t.count })),
    topGenres: genres.data,
  };
}

/** The active version's metadata and k-selection report. */
export async function readModelInfo(table: TableRef): Promise<ModelInfo> {
  const { version } = requireActive(await readPointer(table));
  const meta = await readVersionMeta(table, version);
  if (!meta) throw new StoreError(`active version ${version} has no metadata item`);
  return meta.info;
}
