/**
 * Recommendations from a few picks, for anyone (POST /recommendations): the picks are placed on the taste
 * groups the way training measures closeness (placement.ts), the groups' favourites, with everyone's beside
 * them, are ranked by the one ranking function (rankMovies) with the picks' neighbours blended in and their
 * genres matched, the picks are never recommended, and every movie says why, in words and numbers. Pure: the
 * reads are done by the caller.
 */

import type { PicksInputs } from "../ports.js";
import { type GenreWeights, genreMatch, genreProfile } from "./genre-match.js";
import { type PlacedMembership, placeByCloseness } from "./placement.js";
import { type ClusterView, EVERYONE, type FavouriteNeighbours, rankMovies } from "./ranking.js";
import { explain } from "./reasons.js";

/** What the caller asks for. */
export interface PicksRequest {
  readonly movieIds: readonly number[];
  readonly limit: number;
  readonly offset: number;
  /** Only movies this accepts (genre filter); all when absent. */
  readonly accept?: (movieId: number) => boolean;
  /** Weight of the neighbour blend (rankMovies); at 0 the neighbours only name a pick in the reasons. */
  readonly neighbourWeight: number;
  /** "mean": the neighbour part is divided by the number of picks; "max": by its maximum (rankMovies). */
  readonly neighbourScale: "mean" | "max";
  /** Weight of everyone's favourite counts beside the placed groups, whose weights sum to 1; 0 leaves them out. */
  readonly everyoneWeight: number;
  /** Weight of the genre match (0 to 1 per movie, genre-match.ts) added to each score; 0 leaves it out. */
  readonly genreWeight: number;
}

/** A movie's title, favourite count and genres, for reasons and the genre match. */
export type MovieLookup = (
  movieId: number,
) =>
  | { readonly title: string; readonly favouriteCount: number; readonly genres: readonly string[] }
  | undefined;

/** The live counts the ranking reads: each placed group's top movies, and everyone's. */
export interface PicksCounts {
  /** clusterId -> movieId -> members who favourite it now. */
  readonly groups: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** movieId -> people who favourite it now (the top movies; empty when everyoneWeight is 0). */
  readonly everyone: ReadonlyMap<number, number>;
}

/** One recommended movie. */
export interface PickedMovie {
  readonly movieId: number;
  /**
   * rankMovies' score: group share (everyone's included, scaled to max 1) + neighbourWeight x neighbour
   * similarity / picks + genreWeight x genre match.
   */
  readonly score: number;
  readonly reason: string;
  readonly similarTo?: { readonly movieId: number; readonly title: string };
}

/** Places the picks (soft membership over the `width` nearest groups, like a trained user). */
export function placePicks(
  inputs: PicksInputs,
  movieIds: readonly number[],
  options: { readonly width: number; readonly sharpness: number },
): PlacedMembership[] {
  return placeByCloseness(
    movieIds,
    {
      geometry: inputs.geometry,
      norms2: inputs.norms2,
      sizes: inputs.sizes,
      coordsOf: (movieId) => inputs.coords.get(movieId),
    },
    options,
  );
}

/**
 * Ranks the placed groups' favourites for the picks and explains each one. Everyone's counts join the groups
 * as one more group (its size: every trained person) at `everyoneWeight`, and the genre match of each
 * candidate is added at `genreWeight`: from three random favourites, everyone's taste and the picks' genres
 * both rank better than the picks' neighbours (docs/api.md has the measurements).
 */
export function rankPicks(
  inputs: PicksInputs,
  memberships: readonly PlacedMembership[],
  counts: PicksCounts,
  lookup: MovieLookup,
  genres: GenreWeights,
  request: PicksRequest,
): PickedMovie[] {
  const clusters: ClusterView[] = memberships.map((m) => ({
    clusterId: m.clusterId,
    size: inputs.sizes[m.clusterId] ?? 0,
    weight: m.weight,
    counts: counts.groups.get(m.clusterId) ?? new Map(),
  }));
  if (request.everyoneWeight > 0 && counts.everyone.size > 0) {
    const everyone = inputs.sizes.reduce((sum, size) => sum + size, 0);
    clusters.push({
      clusterId: EVERYONE,
      size: everyone,
      weight: request.everyoneWeight,
      counts: counts.everyone,
    });
  }
  const of = new Map<number, FavouriteNeighbours>();
  for (const pick of request.movieIds) {
    const list = inputs.neighbours.get(pick);
    if (!list) continue;
    of.set(pick, {
      likedBy: lookup(pick)?.favouriteCount ?? 0,
      neighbours: { movieIds: list.movieIds, weights: list.similarities, together: list.together ?? [] },
    });
  }
  const ranked = rankMovies({
    clusters,
    exclude: new Set(request.movieIds),
    ...(request.accept ? { accept: request.accept } : {}),
    // At weight 0 the picks' neighbours rank nothing but still name a pick in the reasons.
    ...(of.size > 0
      ? {
          neighbours: {
            weight: request.neighbourWeight,
            of,
            ...(request.neighbourScale === "mean" ? { divisor: request.movieIds.length } : {}),
          },
        }
      : {}),
    ...(request.genreWeight > 0 ? { affinity: genreAffinity(request, lookup, genres) } : {}),
    limit: request.limit,
    offset: request.offset,
  });
  const names = {
    ownClusterId: memberships[0]?.clusterId ?? -1,
    ownGroup: "the taste group closest to your picks",
    titleOf: (movieId: number) => lookup(movieId)?.title,
  };
  return ranked.map((movie) => ({
    movieId: movie.movieId,
    score: round(movie.score),
    ...explain(movie, names),
  }));
}

/** The genre match of each candidate with the picks, as rankMovies' affinity at genreWeight. */
function genreAffinity(request: PicksRequest, lookup: MovieLookup, weights: GenreWeights) {
  const profile = genreProfile(
    request.movieIds.map((id) => lookup(id)?.genres ?? []),
    weights,
  );
  return {
    weight: request.genreWeight,
    of: (movieId: number) => genreMatch(profile, lookup(movieId)?.genres ?? [], weights),
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
