/**
 * rankMovies as it was written before its candidate table (Maps, an object per best favourite, a full sort):
 * the plain statement of what ranking computes, kept as the oracle the fast version is checked against
 * (test/unit/domain/ranking/ranking-equivalence.test.ts).
 */
import type { NeighbourBlend, RankedMovie, RankingInput } from "../../shared/domain/ranking/ranking.js";

export function referenceRankMovies(input: RankingInput): RankedMovie[] {
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
