/**
 * The centroids of the clusters as trained (after folding): each cluster's mean row in the clustering's
 * space (binary rows for Euclidean, L2-normalised rows for cosine). Stored with a version, movie by movie,
 * so a few picked movies can be placed on the clusters exactly the way training measures closeness, without
 * reading every movie's coordinates.
 */
import type { Geometry } from "./model.js";
import type { SparseMatrix } from "./sparse-matrix.js";

/** Centroids movie-major: coords[col * k + j] is centroid j's coordinate on matrix column col. */
export interface ClusterCentroids {
  readonly k: number;
  readonly coords: Float32Array;
  /** ||centroid j||^2. */
  readonly norms2: Float64Array;
}

/**
 * Averages each cluster's member rows. `clusterOf[row]` is row's cluster (0..k-1; rows outside any cluster,
 * -1, are skipped). An empty cluster keeps a zero centroid. O(nnz + cols x k).
 */
export function clusterCentroids(
  matrix: Pick<SparseMatrix, "rows" | "cols" | "rowPtr" | "colIdx">,
  clusterOf: ArrayLike<number>,
  k: number,
  geometry: Geometry,
): ClusterCentroids {
  const sums = new Float64Array(matrix.cols * k);
  const sizes = new Int32Array(k);
  for (let row = 0; row < matrix.rows; row++) {
    const cluster = clusterOf[row]!;
    if (cluster < 0 || cluster >= k) continue;
    sizes[cluster]!++;
    const a = matrix.rowPtr[row]!;
    const b = matrix.rowPtr[row + 1]!;
    const value = geometry === "cosine" && b > a ? 1 / Math.sqrt(b - a) : 1;
    for (let p = a; p < b; p++) sums[matrix.colIdx[p]! * k + cluster]! += value;
  }
  const coords = new Float32Array(matrix.cols * k);
  const norms2 = new Float64Array(k);
  for (let col = 0; col < matrix.cols; col++) {
    for (let j = 0; j < k; j++) {
      const c = sizes[j]! > 0 ? sums[col * k + j]! / sizes[j]! : 0;
      coords[col * k + j] = c;
      norms2[j]! += c * c;
    }
  }
  return { k, coords, norms2 };
}
