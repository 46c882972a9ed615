/**
 * The one ranking function. The recommendation Lambda and the evaluation harness both call it, so what is
 * measured offline is what users get.
 */

/** A taste cluster as ranking sees it: its size and some or all of its live favourite counts. */
export interface ClusterView {
  readonly clusterId: number;
  readonly size: number;
  /** Membership weight of the user in this cluster, 0..1; the user's own cluster has the largest. */
  readonly weight: number;
  /** movieId -> number of members who favourited it (live: includes favourites recorded since training). */
  readonly counts: ReadonlyMap<number, number>;
}

/** The neighbours of the user's own favourites, blended into the group's taste (see rankMovies). */
export interface NeighbourBlend {
  /** How much the neighbour part counts against the group part (each scaled to a maximum of 1). */
  readonly weight: number;
  /** For each of the user's favourites: its neighbour movies and their similarity (ItemNeighbours). */
  readonly of: ReadonlyMap<number, ReadonlyMap<number, number>>;
}

/** Everything ranking needs for one user. */
export interface RankingInput {
  /** The user's cluster(s), strongest membership first. At least one. */
  readonly clusters: readonly ClusterView[];
  /** Favourite counts over all users, for weighing a cluster's taste against everyone's. */
  readonly global: { readonly users: number; readonly counts: ReadonlyMap<number, number> };
  /** Movies never to recommend: the user's favourites, trained or recorded since. */
  readonly exclude: ReadonlySet<number>;
  /** Only movies this predicate accepts (for example a genre filter); all when absent. */
  readonly accept?: (movieId: number) => boolean;
  /** Optional: neighbours of the user's favourites; absent or weight 0 ranks by the group alone. */
  readonly neighbours?: NeighbourBlend;
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
  /** With a neighbour blend: the user's favourite most similar to this movie, when one is. */
  readonly similarTo?: number;
}

/**
 * Ranks candidate movies for one user: the movies the user's clusters favourited, scored by the
 * membership-weighted share of each cluster that favourited them. With `neighbours`, the score is
 * group / max(group) + weight x near / max(near), where near sums the similarity of the movie to each of the
 * user's favourites (maxima over the candidates); candidates stay the group's movies, so the reason stays
 * true. Ties go to the smaller movieId. Excluded and unaccepted movies never appear.
 */
export function rankMovies(input: RankingInput): RankedMovie[] {
  const { clusters, exclude, accept } = input;
  if (clusters.length === 0) return [];
  const scores = new Map<number, number>();
  for (const cluster of clusters) {
    if (cluster.size <= 0 || cluster.weight <= 0) continue;
    for (const [movieId, count] of cluster.counts) {
      if (count <= 0 || exclude.has(movieId) || (accept && !accept(movieId))) continue;
      scores.set(movieId, (scores.get(movieId) ?? 0) + (cluster.weight * count) / cluster.size);
    }
  }
  const similarTo = blendNeighbours(scores, input.neighbours);
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const offset = input.offset ?? 0;
  return ranked.slice(offset, offset + input.limit).map(([movieId, score]) => {
    const source = clusters.find((c) => (c.counts.get(movieId) ?? 0) > 0) ?? clusters[0]!;
    const similar = similarTo.get(movieId);
    return {
      movieId,
      score,
      clusterId: source.clusterId,
      likedBy: source.counts.get(movieId) ?? 0,
      groupSize: source.size,
      ...(similar === undefined ? {} : { similarTo: similar }),
    };
  });
}

/** Rescales group scores in place and adds the neighbour part; returns each movie's most similar favourite. */
function blendNeighbours(
  scores: Map<number, number>,
  blend: NeighbourBlend | undefined,
): Map<number, number> {
  const similarTo = new Map<number, number>();
  if (!blend || blend.weight <= 0 || scores.size === 0) return similarTo;
  const near = new Map<number, number>();
  const best = new Map<number, number>();
  for (const [favourite, list] of blend.of) {
    for (const [movieId, similarity] of list) {
      if (!scores.has(movieId) || !(similarity > 0)) continue;
      near.set(movieId, (near.get(movieId) ?? 0) + similarity);
      const previous = best.get(movieId);
      if (
        previous === undefined ||
        similarity > previous ||
        (similarity === previous && favourite < similarTo.get(movieId)!)
      ) {
        best.set(movieId, similarity);
        similarTo.set(movieId, favourite);
      }
    }
  }
  let maxGroup = 0;
  for (const score of scores.values()) maxGroup = Math.max(maxGroup, score);
  let maxNear = 0;
  for (const value of near.values()) maxNear = Math.max(maxNear, value);
  for (const [movieId, score] of scores) {
    const nearPart = maxNear > 0 ? (blend.weight * (near.get(movieId) ?? 0)) / maxNear : 0;
    scores.set(movieId, score / maxGroup + nearPart);
  }
  return similarTo;
}

/** The sentence a person reads next to a recommendation: "liked by 28 of the 41 people in your taste group". */
export function explain(movie: RankedMovie): string {
  const people = movie.groupSize === 1 ? "person" : "people";
  return `liked by ${movie.likedBy} of the ${movie.groupSize} ${people} in your taste group`;
}
