/**
 * Encodes a model version's items (built in shared/domain/publishing/version-items.ts) as DynamoDB items:
 * keys from dynamo-keys.ts, neighbour lists and favourites packed as little-endian binary.
 */
import {
  GLOBAL_CLUSTER,
  type ModelVersionInput,
  type VersionItem,
  versionInfo,
} from "../domain/publishing/version-items.js";
import { packCatalogueChunk } from "./dynamo-catalogue-codec.js";
import { B, type Item, LN, LS, N, packFloat32, packInt32, S } from "./dynamo-codec.js";
import {
  CHART_SK,
  catalogueSk,
  clusterSk,
  countPk,
  GENRES_SK,
  GLOBAL,
  movieKey,
  movieSk,
  POPULAR_SK,
  userPk,
  userVersionSk,
  versionKey,
  versionPk,
  versionUsersGsiPk,
} from "./dynamo-keys.js";

/** The DynamoDB item of one version item of `version`. */
export function encodeVersionItem(version: string, item: VersionItem): Item {
  switch (item.kind) {
    case "movie": {
      const key = movieKey(item.movieId);
      return {
        pk: S(key.pk),
        sk: S(key.sk),
        title: S(item.title),
        genres: LS(item.genres),
        ratingCount: N(item.ratingCount),
        ratingMean: N(item.ratingMean),
      };
    }
    case "count": {
      const pk = countPk(version, item.cluster === GLOBAL_CLUSTER ? GLOBAL : item.cluster);
      return {
        pk: S(pk),
        sk: S(movieSk(item.movieId)),
        gsi1pk: S(pk),
        gsi1sk: N(item.count),
        title: S(item.title),
        genres: LS(item.genres),
        ...(item.centroid ? { cc: B(packFloat32(item.centroid)) } : {}),
        ...(item.neighbours
          ? {
              nb: B(packInt32(item.neighbours.movieIds)),
              ns: B(packFloat32(item.neighbours.similarities)),
              nt: B(packInt32(item.neighbours.together)),
            }
          : {}),
      };
    }
    case "cluster-profile":
      return {
        pk: S(versionPk(version)),
        sk: S(clusterSk(item.clusterId)),
        size: N(item.size),
        topGenres: S(JSON.stringify(item.topGenres)),
        summary: S(JSON.stringify(item.summary)),
        cn: N(item.centroidNorm2),
      };
    case "catalogue-chunk":
      return {
        pk: S(versionPk(version)),
        sk: S(catalogueSk(item.chunk)),
        data: B(packCatalogueChunk(item.movies)),
      };
    case "genres":
      return { pk: S(versionPk(version)), sk: S(GENRES_SK), list: S(JSON.stringify(item.genres)) };
    case "chart":
      return { pk: S(versionPk(version)), sk: S(CHART_SK), svg: S(item.svg) };
    case "user":
      return {
        pk: S(userPk(item.userId)),
        sk: S(userVersionSk(version)),
        cluster: N(item.cluster),
        mc: LN(item.memberships.clusters),
        mw: LN(item.memberships.weights),
        favs: B(packInt32(item.favourites)),
        ...(item.seen.length > 0 ? { seen: B(packInt32(item.seen)) } : {}),
        gsi1pk: S(versionUsersGsiPk(version, item.userId)),
        gsi1sk: N(item.userId),
      };
    case "popular":
      return { pk: S(versionPk(version)), sk: S(POPULAR_SK), list: S(JSON.stringify(item.movies)) };
  }
}

/** The version's metadata item: `writing` while its items are written, `complete` after. */
export function encodeVersionMeta(input: ModelVersionInput, state: "writing" | "complete"): Item {
  const key = versionKey(input.version);
  return {
    pk: S(key.pk),
    sk: S(key.sk),
    state: S(state),
    info: S(JSON.stringify(versionInfo(input))),
    ...(input.report ? { report: S(JSON.stringify(input.report)) } : {}),
  };
}
