import { NotFoundError, StoreError } from "../domain/errors.js";
import type { PicksReader } from "../domain/ports.js";
import type { StoredNeighbours } from "../domain/ranking/similar.js";
import { batchGetAll } from "./dynamo-batch.js";
import type { TableRef } from "./dynamo-client.js";
import { type ClusterSpace, readClusterSpace } from "./dynamo-closeness.js";
import { type Item, readPacked, readS, S, unpackFloat32 } from "./dynamo-codec.js";
import { topMovies } from "./dynamo-count-reader.js";
import { countPk, GLOBAL, movieIdOfSk, movieSk } from "./dynamo-keys.js";
import { readPointer } from "./dynamo-pointer.js";

/**
 * Reads for POST /recommendations: the pointer, the version's cluster sizes and centroid norms (one Query,
 * cached per version), the picks' global count items (one BatchGetItem of at most 20 keys: centroid
 * coordinates and neighbours), then the top counts of the clusters the picks are placed on and of everyone
 * (one GSI Query each, in parallel). Reads only: nothing is stored.
 */

function neighboursOf(item: Item): StoredNeighbours | null {
  const ids = readPacked(item, "nb");
  if (ids.length === 0) return null;
  const similarities = item.ns?.B ? unpackFloat32(item.ns.B) : new Float32Array(0);
  const together = item.nt ? readPacked(item, "nt") : null;
  if (similarities.length !== ids.length || (together && together.length !== ids.length)) {
    throw new StoreError("neighbour lists differ in length");
  }
  return { movieIds: ids, similarities, together };
}

/** Binds POST /recommendations' reads to a table. */
export function bindPicksReader(table: TableRef): PicksReader {
  let cached: { version: string; space: Promise<ClusterSpace> } | null = null;
  const spaceOf = (version: string) => {
    if (cached?.version !== version) {
      const space = readClusterSpace(table, version);
      cached = { version, space };
      space.catch(() => {
        if (cached?.space === space) cached = null;
      });
    }
    return cached.space;
  };
  return {
    async picksInputs(movieIds) {
      const pointer = await readPointer(table);
      if (!pointer.active) throw new NotFoundError("model", "no model has been trained yet");
      const version = pointer.active.version;
      const [space, items] = await Promise.all([
        spaceOf(version),
        batchGetAll(
          table.client,
          table.tableName,
          movieIds.map((id) => ({ pk: S(countPk(version, GLOBAL)), sk: S(movieSk(id)) })),
          { projection: "sk, cc, nb, ns, nt", policy: table.retry },
        ),
      ]);
      const coords = new Map<number, Float32Array>();
      const neighbours = new Map<number, StoredNeighbours>();
      for (const item of items) {
        const movieId = movieIdOfSk(readS(item, "sk"));
        if (item.cc?.B) coords.set(movieId, unpackFloat32(item.cc.B));
        const list = neighboursOf(item);
        if (list) neighbours.set(movieId, list);
      }
      return { version, ...space, coords, neighbours };
    },
    async clusterCounts(version, clusterIds, topN) {
      // The handler names movies from the catalogue: the counts need no titles.
      const tops = await Promise.all(
        clusterIds.map((c) => topMovies(table, version, c, topN, { titles: false })),
      );
      return new Map(
        clusterIds.map((c, i) => [c, new Map(tops[i]!.map((t) => [t.movie.movieId, t.count] as const))]),
      );
    },
    async everyoneCounts(version, topN) {
      const top = await topMovies(table, version, GLOBAL, topN, { titles: false });
      return new Map(top.map((t) => [t.movie.movieId, t.count] as const));
    },
  };
}
