/**
 * Placing a user the trained model has not seen (new, or all favourites recorded after training) in the
 * nearest cluster, from stored per-cluster counts alone: a cluster's centroid on movie m is count(c, m)/size(c),
 * so the distance needs only the counts of the user's own favourites plus each centroid's squared norm.
 */
import type { Geometry } from "./model.js";

/** What placement needs of one cluster. */
export interface PlacementCluster {
  readonly clusterId: number;
  readonly size: number;
  /** Sum over all movies of count(c, m)^2 (computed at training time, before any cap on stored counts). */
  readonly sumSquaredCounts: number;
  /** count(c, m) for the user's favourite movies (missing = 0). */
  readonly counts: ReadonlyMap<number, number>;
}

/** Sum over all movies of count^2: what placement needs of a cluster's full count list. */
export function sumSquaredCounts(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]! * counts[i]!;
  return total;
}

/**
 * The nearest cluster to a binary row of favourites: cosine similarity to the centroid (geometry "cosine") or
 * smallest squared Euclidean distance ("euclidean"). Ties go to the larger cluster, then the smaller id.
 * Returns null only when there are no clusters.
 */
export function nearestCluster(
  favourites: readonly number[],
  clusters: readonly PlacementCluster[],
  geometry: Geometry,
): number | null {
  let best: { clusterId: number; score: number; size: number } | null = null;
  for (const cluster of clusters) {
    if (cluster.size <= 0) continue;
    let dot = 0;
    for (const movieId of favourites) dot += cluster.counts.get(movieId) ?? 0;
    const score =
      geometry === "cosine"
        ? cluster.sumSquaredCounts > 0
          ? dot / Math.sqrt(cluster.sumSquaredCounts)
          : 0
        : -(
            favourites.length -
            (2 * dot) / cluster.size +
            cluster.sumSquaredCounts / (cluster.size * cluster.size)
          );
    const better =
      best === null ||
      score > best.score + 1e-12 ||
      (Math.abs(score - best.score) <= 1e-12 &&
        (cluster.size > best.size || (cluster.size === best.size && cluster.clusterId < best.clusterId)));
    if (better) best = { clusterId: cluster.clusterId, score, size: cluster.size };
  }
  return best?.clusterId ?? null;
}
