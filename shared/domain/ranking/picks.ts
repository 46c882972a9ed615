/**
 * Recommendations from a few picks, for anyone (POST /recommendations): the picks are placed on the taste
 * groups the way training measures closeness (placement.ts), the groups' favourites are ranked by the one
 * ranking function (rankMovies) with the picks' neighbours blended in, the picks are never recommended, and
 * every movie says why, in words and numbers. Pure: the reads are done by the caller.
 */

import type { PicksInputs } from "../ports.js";
import { type PlacedMembership, placeByCloseness } from "./placement.js";
import { type ClusterView, type FavouriteNeighbours, rankMovies } from "./ranking.js";
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
}

/** A movie's title and favourite count, for reasons. */
export type MovieLookup = (
  movieId: number,
) => { readonly title: string; readonly favouriteCount: number } | undefined;

/** One recommended movie. */
export interface PickedMovie {
  readonly movieId: number;
  /** rankMovies' score: group share (scaled to max 1) + neighbourWeight x neighbour similarity (scaled). */
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

/** Ranks the placed groups' favourites for the picks and explains each one. */
export function rankPicks(
  inputs: PicksInputs,
  memberships: readonly PlacedMembership[],
  counts: ReadonlyMap<number, ReadonlyMap<number, number>>,
  lookup: MovieLookup,
  request: PicksRequest,
): PickedMovie[] {
  const clusters: ClusterView[] = memberships.map((m) => ({
    clusterId: m.clusterId,
    size: inputs.sizes[m.clusterId] ?? 0,
    weight: m.weight,
    counts: counts.get(m.clusterId) ?? new Map(),
  }));
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

const round = (x: number) => Math.round(x * 10_000) / 10_000;
