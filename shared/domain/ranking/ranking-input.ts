/**
 * Building the ranking's input from a trained model: the user's clusters (soft membership, strongest first)
 * with their favourite counts, and the exclusion set. The evaluation harness ranks through
 * this; the recommendation Lambda builds the same ClusterViews from the counts it reads from DynamoDB, with
 * {@link toClusterView} for each stored cluster.
 */

import type { ClusterCounts, TrainedModel } from "../clustering/model.js";
import { favouritesOf, type ItemNeighbours, neighbourListsOf } from "./item-neighbours.js";
import type { ClusterView, FavouriteNeighbours, RankingInput } from "./ranking.js";

/** Options of {@link createModelRanker}. */
export interface ModelRankerOptions {
  /** Use at most this many of the user's clusters (strongest first). Default: all the model stores. */
  readonly membershipWidth?: number;
  /** Keep only each cluster's top N counts, as serving reads them (top-N by count). Default: all. */
  readonly topCounts?: number;
  /** Item neighbours from the same training data, blended in with `neighbourWeight` (default: none). */
  readonly neighbours?: ItemNeighbours;
  /** Weight of the neighbour part (RankingInput.neighbours.weight); 0 or absent ranks by the group alone. */
  readonly neighbourWeight?: number;
  /** Weight of the group part (RankingInput.groupWeight); default 1. */
  readonly groupWeight?: number;
}

/** The ranking inputs of one model's users. */
export interface ModelRanker {
  /** The ranking input for a user the model knows, or undefined for one it does not (no training favourites). */
  inputFor(
    userId: number,
    request: {
      /** The user's favourites, whose neighbours are blended in. */
      favourites: Iterable<number>;
      exclude: ReadonlySet<number>;
      limit: number;
      offset?: number;
    },
  ): RankingInput | undefined;
}

/**
 * A cluster as ranking sees it, from its stored counts (sorted by count descending): the first `topCounts`
 * movies (all when absent), with the user's membership weight.
 */
export function toClusterView(cluster: ClusterCounts, weight: number, topCounts?: number): ClusterView {
  const length = Math.min(cluster.movieIds.length, topCounts ?? cluster.movieIds.length);
  const counts = new Map<number, number>();
  for (let i = 0; i < length; i++) counts.set(cluster.movieIds[i]!, cluster.counts[i]!);
  return { clusterId: cluster.clusterId, size: cluster.size, weight, counts };
}

/**
 * Prepares a trained model for ranking many users: builds each cluster's counts map once, then gives each
 * user's RankingInput from the model's soft membership (the user's nearest clusters and weights).
 */
export function createModelRanker(model: TrainedModel, options: ModelRankerOptions = {}): ModelRanker {
  const width = Math.min(model.membershipWidth, options.membershipWidth ?? model.membershipWidth);
  const views = new Map(model.clusters.map((c) => [c.clusterId, toClusterView(c, 1, options.topCounts)]));
  const userIndex = new Map<number, number>();
  for (let i = 0; i < model.userIds.length; i++) userIndex.set(model.userIds[i]!, i);

  return {
    inputFor(userId, request) {
      const index = userIndex.get(userId);
      if (index === undefined) return undefined;
      const clusters: ClusterView[] = [];
      for (let j = 0; j < width; j++) {
        const slot = index * model.membershipWidth + j;
        const clusterId = model.membershipClusters[slot]!;
        const weight = model.membershipWeights[slot]!;
        if (clusterId < 0 || weight <= 0) continue;
        const view = views.get(clusterId);
        if (view) clusters.push({ ...view, weight });
      }
      const own = views.get(model.clusterOf[index]!);
      if (clusters.length === 0 && own) clusters.push({ ...own, weight: 1 });
      const weight = options.neighbourWeight ?? 0;
      const neighbours =
        options.neighbours && weight > 0
          ? { weight, of: favouriteNeighbours(options.neighbours, request.favourites) }
          : undefined;
      return {
        clusters,
        ...(options.groupWeight === undefined ? {} : { groupWeight: options.groupWeight }),
        exclude: request.exclude,
        limit: request.limit,
        offset: request.offset ?? 0,
        ...(neighbours ? { neighbours } : {}),
      };
    },
  };
}

/** The blend's input for a user's favourites: each one's neighbours and how many people favourited it. */
function favouriteNeighbours(
  index: ItemNeighbours,
  favourites: Iterable<number>,
): Map<number, FavouriteNeighbours> {
  const out = new Map<number, FavouriteNeighbours>();
  for (const [movieId, neighbours] of neighbourListsOf(index, favourites)) {
    out.set(movieId, { likedBy: favouritesOf(index, movieId), neighbours });
  }
  return out;
}
