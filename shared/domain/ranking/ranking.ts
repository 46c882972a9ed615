/**
 * The one ranking function. The recommendation Lambda and the evaluation harness both call it, so what is
 * measured offline is what users get.
 */
import { CandidateTable, HAS_BEST, IN_GROUP } from "./candidate-table.js";
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

/** The clusterId of a ClusterView that holds everyone's counts (its size: everyone); reasons say "all". */
export const EVERYONE = -2;

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
  /**
   * Optional: a third part, added to each candidate's score as weight x of(movieId) (for picks, how well the
   * movie's genres match theirs, 0 to 1). It reorders the candidates and never adds one.
   */
  readonly affinity?: { readonly weight: number; readonly of: (movieId: number) => number };
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
 * instead when the blend gives one), plus affinity.weight x affinity.of(movie) when given (the group part is
 * then scaled to a maximum of groupWeight even without a blend). Candidates are
 * the clusters' movies and the favourites' neighbours, so every movie has a count-based reason: the
 * favourite contributing most (people who liked both, of those who liked it) or the strongest cluster that
 * liked it. Ties go to the smaller movieId. Excluded and unaccepted movies never appear.
 */
export function rankMovies(input: RankingInput): RankedMovie[] {
  const { clusters, exclude, accept } = input;
  const blend = input.neighbours;
  if (clusters.length === 0 && !blend) return [];
  let expected = 0;
  for (const cluster of clusters) expected += cluster.counts.size;
  if (blend) for (const favourite of blend.of.values()) expected += favourite.neighbours.movieIds.length;
  const table = CANDIDATES;
  table.reset(expected);
  for (const cluster of clusters) {
    if (cluster.size <= 0 || cluster.weight <= 0) continue;
    cluster.counts.forEach((count, movieId) => {
      if (count <= 0 || exclude.has(movieId) || (accept && !accept(movieId))) return;
      const slot = table.slotOf(movieId);
      table.group[slot]! += (cluster.weight * count) / cluster.size;
      table.flags[slot]! |= IN_GROUP;
    });
  }
  if (blend) addNeighbours(table, blend, exclude, accept);
  const weight = blend?.weight ?? 0;
  const combined = blend !== undefined && weight > 0;
  const affinity = input.affinity && input.affinity.weight !== 0 ? input.affinity : undefined;
  // Parts are scaled against each other only when there is more than one.
  const { g, n } =
    combined || affinity
      ? scales(table, input.groupWeight ?? 1, combined ? weight : 0, blend?.divisor)
      : { g: 1, n: 0 };
  const scoreOf = (slot: number): number =>
    (table.flags[slot]! & IN_GROUP ? g * table.group[slot]! : 0) +
    (table.flags[slot]! & HAS_BEST ? n * table.near[slot]! : 0) +
    (affinity ? affinity.weight * affinity.of(table.movieIds[slot]!) : 0);
  const offset = input.offset ?? 0;
  const top = topSlots(table, combined ? IN_GROUP | HAS_BEST : IN_GROUP, scoreOf, offset + input.limit);
  return top.slice(offset).map((slot) => {
    const movieId = table.movieIds[slot]!;
    const source = clusters.find((c) => (c.counts.get(movieId) ?? 0) > 0) ?? clusters[0];
    const hasBest = (table.flags[slot]! & HAS_BEST) !== 0;
    return {
      movieId,
      score: scoreOf(slot),
      clusterId: source?.clusterId ?? -1,
      likedBy: source?.counts.get(movieId) ?? 0,
      groupSize: source?.size ?? 0,
      ...(hasBest
        ? {
            similarTo: table.bestFavourite[slot]!,
            because: { together: table.bestTogether[slot]!, likedBy: table.bestLikedBy[slot]! },
          }
        : {}),
    };
  });
}

/** One table for every call: rankMovies is synchronous, so calls never overlap. */
const CANDIDATES = new CandidateTable();

/**
 * Sums each candidate's signed neighbour weight over the favourites, and keeps the favourite contributing the
 * largest positive weight (ties: smaller movieId). Negative weights (ease-signed neighbours) lower a movie's
 * score but never make it a candidate or its reason: only movies with a positive contribution (HAS_BEST) are
 * scored, so each has a favourite to name.
 */
function addNeighbours(
  table: CandidateTable,
  blend: NeighbourBlend,
  exclude: ReadonlySet<number>,
  accept: ((movieId: number) => boolean) | undefined,
): void {
  for (const [favourite, { likedBy, neighbours }] of blend.of) {
    const { movieIds, weights, together } = neighbours;
    for (let i = 0; i < movieIds.length; i++) {
      const movieId = movieIds[i]!;
      const weight = weights[i]!;
      if (weight === 0 || !Number.isFinite(weight) || exclude.has(movieId) || (accept && !accept(movieId))) {
        continue;
      }
      const slot = table.slotOf(movieId);
      table.near[slot]! += weight;
      if (!(weight > 0)) continue;
      const flags = table.flags[slot]!;
      const best = table.bestWeight[slot]!;
      if (
        !(flags & HAS_BEST) ||
        weight > best ||
        (weight === best && favourite < table.bestFavourite[slot]!)
      ) {
        table.flags[slot] = flags | HAS_BEST;
        table.bestWeight[slot] = weight;
        table.bestFavourite[slot] = favourite;
        table.bestTogether[slot] = together[i] ?? 0;
        table.bestLikedBy[slot] = likedBy;
      }
    }
  }
}

/**
 * The factors of groupWeight x group / max(group) + nearWeight x near / max(near) (or near / divisor), maxima
 * over the candidates of each part.
 */
function scales(
  table: CandidateTable,
  groupWeight: number,
  nearWeight: number,
  divisor: number | undefined,
): { g: number; n: number } {
  let maxGroup = 0;
  let maxNear = 0;
  for (let slot = 0; slot < table.size; slot++) {
    const flags = table.flags[slot]!;
    if (flags & IN_GROUP) maxGroup = Math.max(maxGroup, table.group[slot]!);
    if (flags & HAS_BEST) maxNear = Math.max(maxNear, table.near[slot]!);
  }
  return {
    g: maxGroup > 0 ? groupWeight / maxGroup : 0,
    n: divisor !== undefined && divisor > 0 ? nearWeight / divisor : maxNear > 0 ? nearWeight / maxNear : 0,
  };
}

/** Above this many places the page is found by one full sort rather than by insertion into a short list. */
const SHORT_LIST = 256;

/**
 * The best `count` candidates with any of `flags`, by score (descending), then movieId (ascending), best
 * first.
 */
function topSlots(
  table: CandidateTable,
  flags: number,
  scoreOf: (slot: number) => number,
  count: number,
): number[] {
  if (count <= 0) return [];
  const before = (a: number, b: number, scoreA: number, scoreB: number) =>
    scoreA > scoreB || (scoreA === scoreB && table.movieIds[a]! < table.movieIds[b]!);
  if (count > SHORT_LIST) {
    const all: number[] = [];
    for (let slot = 0; slot < table.size; slot++) if (table.flags[slot]! & flags) all.push(slot);
    const scores = all.map(scoreOf);
    const order = all.map((_, i) => i);
    order.sort((i, j) => (before(all[i]!, all[j]!, scores[i]!, scores[j]!) ? -1 : 1));
    return order.slice(0, count).map((i) => all[i]!);
  }
  const slots: number[] = [];
  const scores: number[] = [];
  for (let slot = 0; slot < table.size; slot++) {
    if (!(table.flags[slot]! & flags)) continue;
    const score = scoreOf(slot);
    if (slots.length === count && !before(slot, slots[count - 1]!, score, scores[count - 1]!)) continue;
    let at = slots.length === count ? count - 1 : slots.length;
    while (at > 0 && before(slot, slots[at - 1]!, score, scores[at - 1]!)) {
      slots[at] = slots[at - 1]!;
      scores[at] = scores[at - 1]!;
      at--;
    }
    slots[at] = slot;
    scores[at] = score;
  }
  return slots;
}
