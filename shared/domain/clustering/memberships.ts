/**
 * Soft cluster membership: besides their own cluster, each user gets weights on their nearest other
 * clusters, so ranking can blend a few neighbouring tastes. A weight is the user's similarity to the
 * cluster's k-means centroid, (1 / d^2)^sharpness (d the Euclidean distance in the clustering's space; with
 * sharpness 1 these are fuzzy c-means memberships, m = 2), normalised to sum 1 over the user's slots.
 */
import { createRowSpace, dotsWithCentroids } from "./centroid-distances.js";
import type { Geometry } from "./model.js";
import type { SparseMatrix } from "./sparse-matrix.js";

/** Per-user membership slots, `width` per user: clusters strongest first, and their weights. */
export interface Memberships {
  readonly width: number;
  readonly clusters: Int32Array;
  readonly weights: Float32Array;
}

/** Options of {@link softMemberships}. */
export interface MembershipOptions {
  readonly geometry: Geometry;
  /** Movie-major centroids of the k-means fit, before folding (k of them). */
  readonly centroids: Float32Array;
  readonly k: number;
  /** Each user's cluster after folding (new ids). */
  readonly clusterOf: Int32Array;
  /** survivorOf[old] is the new id of k-means cluster old, or -1 when it was folded away. */
  readonly survivorOf: Int32Array;
  /** Slots per user, capped by the number of clusters after folding. */
  readonly width: number;
  /** Exponent on 1 / d^2: larger concentrates weight on the nearest cluster. */
  readonly sharpness: number;
}

/**
 * Slot 0 is always the user's own cluster (clusterOf); slots 1.. are the nearest other surviving clusters
 * by centroid distance (ties: the smaller id). For users who were not folded their own cluster is also the
 * nearest, so slots are strongest first; a folded user's own cluster comes first by rule. Unused slots hold
 * -1 and weight 0. A user exactly on a centroid in their slots gets all the weight there.
 */
export function softMemberships(matrix: SparseMatrix, options: MembershipOptions): Memberships {
  const { centroids, k, clusterOf, survivorOf, sharpness } = options;
  const space = createRowSpace(matrix, options.geometry);
  const survivors: number[] = [];
  survivorOf.forEach((to, from) => {
    if (to >= 0) survivors[to] = from;
  });
  const width = Math.max(1, Math.min(options.width, survivors.length));
  const clusters = new Int32Array(matrix.rows * width).fill(-1);
  const weights = new Float32Array(matrix.rows * width);
  const dots = new Float64Array(k);
  const norms = new Float64Array(k);
  for (let m = 0; m < matrix.cols; m++) for (let j = 0; j < k; j++) norms[j]! += centroids[m * k + j]! ** 2;
  const distance = new Float64Array(survivors.length);
  const slotD = new Float64Array(width);
  for (let i = 0; i < matrix.rows; i++) {
    const base = i * width;
    const own = clusterOf[i]!;
    if (width === 1) {
      clusters[base] = own;
      weights[base] = 1;
      continue;
    }
    dotsWithCentroids(space, i, centroids, k, dots);
    for (let c = 0; c < survivors.length; c++) {
      const j = survivors[c]!;
      distance[c] = Math.max(0, space.norm2[i]! - 2 * dots[j]! + norms[j]!);
    }
    clusters[base] = own;
    slotD[0] = distance[own]!;
    let slot = 1;
    for (; slot < width; slot++) {
      let best = -1;
      for (let c = 0; c < survivors.length; c++) {
        if (c === own || (best >= 0 && distance[c]! >= distance[best]!)) continue;
        let taken = false;
        for (let s = 1; s < slot; s++) if (clusters[base + s] === c) taken = true;
        if (!taken) best = c;
      }
      if (best < 0) break;
      clusters[base + slot] = best;
      slotD[slot] = distance[best]!;
    }
    // Weights relative to the nearest slot, (d_min^2 / d^2)^sharpness, so large exponents cannot overflow.
    let nearest = Infinity;
    for (let s = 0; s < slot; s++) nearest = Math.min(nearest, slotD[s]!);
    let total = 0;
    for (let s = 0; s < slot; s++) {
      const w = nearest === 0 ? (slotD[s] === 0 ? 1 : 0) : (nearest / slotD[s]!) ** sharpness;
      weights[base + s] = w;
      total += w;
    }
    for (let s = 0; s < slot; s++) weights[base + s] = weights[base + s]! / total;
  }
  return { width, clusters, weights };
}
