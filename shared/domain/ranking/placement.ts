/**
 * Where a set of movies someone likes sits among the taste groups, measured the way training measures it:
 * the squared distance from the set's row (binary, L2-normalised under cosine) to each group's centroid,
 * ||x||^2 - 2 x.c + ||c||^2, and soft-membership weights (d_min^2 / d^2)^sharpness over the nearest `width`
 * groups, as training gives its users (clustering/memberships.ts). Used for picks (POST /recommendations)
 * and for placing users who recorded favourites after training.
 */
import type { Geometry } from "../clustering/model.js";

/** A group's weight in a placement; strongest first. */
export interface PlacedMembership {
  readonly clusterId: number;
  readonly weight: number;
}

/** What placement needs of a version. */
export interface PlacementSpace {
  readonly geometry: Geometry;
  /** ||centroid||^2 of each cluster, by cluster id; clusters of size 0 are never chosen. */
  readonly norms2: ArrayLike<number>;
  readonly sizes: ArrayLike<number>;
  /** A movie's coordinate on every centroid (k values), or undefined when no one favourited it in training. */
  coordsOf(movieId: number): ArrayLike<number> | undefined;
}

/**
 * Places `movieIds` (distinct; unknown movies are left out): the nearest `width` clusters with weights
 * summing to 1, strongest first (ties: the smaller cluster id). Empty when none of the movies is known.
 */
export function placeByCloseness(
  movieIds: Iterable<number>,
  space: PlacementSpace,
  options: { readonly width: number; readonly sharpness: number },
): PlacedMembership[] {
  const k = space.norms2.length;
  const known: ArrayLike<number>[] = [];
  for (const movieId of new Set(movieIds)) {
    const coords = space.coordsOf(movieId);
    if (coords !== undefined) known.push(coords);
  }
  if (known.length === 0) return [];
  const x = space.geometry === "cosine" ? 1 / Math.sqrt(known.length) : 1;
  const norm2 = space.geometry === "cosine" ? 1 : known.length;
  const distances: { clusterId: number; d2: number }[] = [];
  for (let j = 0; j < k; j++) {
    if (!(space.sizes[j]! > 0)) continue;
    let dot = 0;
    for (const coords of known) dot += coords[j]!;
    distances.push({ clusterId: j, d2: Math.max(0, norm2 - 2 * x * dot + space.norms2[j]!) });
  }
  distances.sort((a, b) => a.d2 - b.d2 || a.clusterId - b.clusterId);
  const slots = distances.slice(0, Math.max(1, options.width));
  const nearest = slots[0]!.d2;
  const raw = slots.map((s) =>
    nearest === 0 ? (s.d2 === 0 ? 1 : 0) : (nearest / s.d2) ** options.sharpness,
  );
  const total = raw.reduce((sum, w) => sum + w, 0);
  return slots
    .map((s, i) => ({ clusterId: s.clusterId, weight: raw[i]! / total }))
    .filter((m) => m.weight > 0);
}
