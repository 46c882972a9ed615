/**
 * The one ranking function. The recommendation Lambda and the evaluation harness both call it, so what is
 * measured offline is what users get.
 */
import type { NeighbourList } from "./item-neighbours.js";

/** A taste cluster as ranking sees it: its size and some or all of its live favourite counts. */
export interface ClusterView {
  readonly clusterId: number;
  readonly size: number;
  /** Membership weight of the user in this cluster, 0..1; the user's own cluster has the largest. */
  readonly weight: number;
  /** movieId -> number of members who favourited it (live: includes favourites recorded since training). */
  readonly counts: ReadonlyMap<number, number>;
}

/** One of the user's favourites as the neighbour part sees it. */
export interface FavouriteNeighbours {
  /** How many people favourited it (the "M" of the reason). */
  readonly likedBy: number;
  /** Its stored neighbours: ids, weights and co-favourite counts. */
  readonly neighbours: NeighbourList;
}

/** The neighbours of the user's own favourites, blended with the group's taste (see rankMovies). */
export interface NeighbourBlend {
  /** How much the neighbour part counts against the group part (each scaled to a maximum of 1). */
  readonly weight: number;
  /** For each of the user's favourites: how many liked it and its neighbours (ItemNeighbours). */
  readonly of: ReadonlyMap<number, FavouriteNeighbours>;
  /**
   * When given, the neighbour part is near / divisor instead of near / max(near): with the number of picks,
   * the mean over the picks of the stored weight, so weak neighbour lists stay weak instead of being scaled
   * up to the group part's size.
   */
  readonly divisor?: number;
}

/** Everything ranking needs for one user. */
export interface RankingInput {
  /** The user's cluster(s), strongest membership first. At least one. */
  readonly clusters: readonly ClusterView[];
  /** Movies never to recommend: the user's favourites, trained or recorded since. */
  readonly exclude: ReadonlySet<number>;
  /** Only movies this predicate accepts (for example a genre filter); all when absent. */
  readonly accept?: (movieId: number) => boolean;
  /**
   * Optional: neighbours of the user's favourites; absent or weight 0 ranks by the group alone (at weight 0
   * they only name the favourite, `similarTo`, of a group's movie that is in a favourite's list).
   */
  readonly neighbours?: NeighbourBlend;
  /** Weight of the group part (default 1); 0 ranks by the neighbours alone (groups still give reasons). */
  readonly groupWeight?: number;
  readonly limit: number;
  readonly offset?: number;
}

/** One recommended movie with the figures its reason is made of. */
export interface RankedMovie {
  readonly movieId: number;
  readonly score: number;
  /** The cluster the reason speaks of (the user's strongest cluster that liked the movie). */
  readonly clusterId: number;
  /** How many members of that cluster favourited the movie. */
  readonly likedBy: number;
  /** How many members that cluster has. */
  readonly groupSize: number;
  /** With a neighbour blend: the user's favourite that contributes most to this movie, when one does. */
  readonly similarTo?: number;
  /** With `similarTo`: how many people favourited both it and this movie, and how many favourited it. */
  readonly because?: { readonly together: number; readonly likedBy: number };
}

/**
 * Ranks candidate movies for one user. The group part of a movie is the membership-weighted share of each of
 * the user's clusters that favourited it. With `neighbours`, the neighbour part sums the movie's weight in
 * the neighbour list of each of the user's favourites, and the score is
 * groupWeight x group / max(group) + weight x near / max(near) (maxima over the candidates; near / divisor
 * instead when the blend gives one). Candidates are
 * the clusters' movies and the favourites' neighbours, so every movie has a count-based reason: the
 * favourite contributing most (people who liked both, of those who liked it) or the strongest cluster that
 * liked it. Ties go to the smaller movieId. Excluded and unaccepted movies never appear.
 */
export function rankMovies(input: RankingInput): RankedMovie[] {
  const { clusters, exclude, accept } = input;
  if (clusters.length === 0 && !input.neighbours) return [];
  const group = new Map<number, number>();
  for (const cluster of clusters) {
    if (cluster.size <= 0 || cluster.weight <= 0) continue;
    for (const [movieId, count] of cluster.counts) {
      if (count <= 0 || exclude.has(movieId) || (accept && !accept(movieId))) continue;
      group.set(movieId, (group.get(movieId) ?? 0) + (cluster.weight * count) / cluster.size);
    }
  }
  const near = input.neighbours ? nearScores(input.neighbours, exclude, accept) : undefined;
  const weight = input.neighbours?.weight ?? 0;
  const scores =
    near && weight > 0
      ? combine(group, input.groupWeight ?? 1, near.scores, weight, input.neighbours?.divisor)
      : group;
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const offset = input.offset ?? 0;
  return ranked.slice(offset, offset + input.limit).map(([movieId, score]) => {
    const source = clusters.find((c) => (c.counts.get(movieId) ?? 0) > 0) ?? clusters[0];
    const best = near?.best.get(movieId);
    return {
      movieId,
      score,
      clusterId: source?.clusterId ?? -1,
      likedBy: source?.counts.get(movieId) ?? 0,
      groupSize: source?.size ?? 0,
      ...(best === undefined
        ? {}
        : { similarTo: best.favourite, because: { together: best.together, likedBy: best.likedBy } }),
    };
  });
}

interface Contribution {
  favourite: number;
  weight: number;
  together: number;
  likedBy: number;
}

/**
 * Each candidate's summed neighbour weight, and the favourite contributing most (ties: smaller movieId).
 * Negative weights (ease-signed neighbours) lower a movie's score but never make it a candidate or its
 * reason: only movies with a positive contribution are scored, so each has a favourite to name.
 */
function nearScores(
  blend: NeighbourBlend,
  exclude: ReadonlySet<number>,
  accept: ((movieId: number) => boolean) | undefined,
): { scores: Map<number, number>; best: Map<number, Contribution> } {
  const scores = new Map<number, number>();
  const best = new Map<number, Contribution>();
  for (const [favourite, { likedBy, neighbours }] of blend.of) {
    const { movieIds, weights } = neighbours;
    for (let i = 0; i < movieIds.length; i++) {
      const movieId = movieIds[i]!;
      const weight = weights[i]!;
      if (weight === 0 || !Number.isFinite(weight) || exclude.has(movieId) || (accept && !accept(movieId))) {
        continue;
      }
      const together = neighbours.together[i] ?? 0;
      scores.set(movieId, (scores.get(movieId) ?? 0) + weight);
      if (!(weight > 0)) continue;
      const previous = best.get(movieId);
      if (
        previous === undefined ||
        weight > previous.weight ||
        (weight === previous.weight && favourite < previous.favourite)
      ) {
        best.set(movieId, { favourite, weight, together, likedBy });
      }
    }
  }
  for (const movieId of scores.keys()) if (!best.has(movieId)) scores.delete(movieId);
  return { scores, best };
}

/**
 * groupWeight x group / max(group) + nearWeight x near / max(near) (or near / divisor), over the union of
 * both parts' movies.
 */
function combine(
  group: ReadonlyMap<number, number>,
  groupWeight: number,
  near: ReadonlyMap<number, number>,
  nearWeight: number,
  divisor: number | undefined,
): Map<number, number> {
  let maxGroup = 0;
  for (const value of group.values()) maxGroup = Math.max(maxGroup, value);
  let maxNear = 0;
  for (const value of near.values()) maxNear = Math.max(maxNear, value);
  const g = maxGroup > 0 ? groupWeight / maxGroup : 0;
  const n =
    divisor !== undefined && divisor > 0 ? nearWeight / divisor : maxNear > 0 ? nearWeight / maxNear : 0;
  const scores = new Map<number, number>();
  for (const [movieId, value] of group) scores.set(movieId, g * value);
  for (const [movieId, value] of near) scores.set(movieId, (scores.get(movieId) ?? 0) + n * value);
  return scores;
}
