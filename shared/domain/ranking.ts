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
}

/**
 * Ranks candidate movies for one user: a movie's score is the membership-weighted share of each cluster
 * that favourited it. Ties go to the smaller movieId. Excluded and unaccepted movies never appear.
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
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const offset = input.offset ?? 0;
  return ranked.slice(offset, offset + input.limit).map(([movieId, score]) => {
    const source = clusters.find((c) => (c.counts.get(movieId) ?? 0) > 0) ?? clusters[0]!;
    return {
      movieId,
      score,
      clusterId: source.clusterId,
      likedBy: source.counts.get(movieId) ?? 0,
      groupSize: source.size,
    };
  });
}

/** The sentence a person reads next to a recommendation: "liked by 28 of the 41 people in your taste group". */
export function explain(movie: RankedMovie): string {
  const people = movie.groupSize === 1 ? "person" : "people";
  return `liked by ${movie.likedBy} of the ${movie.groupSize} ${people} in your taste group`;
}
