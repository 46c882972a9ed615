/**
 * Distances between sparse user rows and dense centroids, the hot loop of training. Centroids are stored
 * movie-major as float32 (`c[movie * k + j]`), so one gather per stored entry brings all k values of that
 * movie; a squared distance is ||x||^2 - 2 x.c + ||c||^2, which costs O(nnz x k) for all rows and centroids.
 */
import type { Geometry } from "./model.js";
import type { SparseMatrix } from "./sparse-matrix.js";

/** The rows k-means clusters: the matrix, a per-row scale (1, or 1/||row|| for cosine) and each row's ||x||^2. */
export interface RowSpace {
  readonly matrix: SparseMatrix;
  readonly geometry: Geometry;
  /** Row i's coordinates are scale[i] * (stored values of row i). */
  readonly scale: Float64Array;
  /** Squared norm of row i after scaling (1 for cosine, the row's favourite count for binary Euclidean). */
  readonly norm2: Float64Array;
}

/**
 * Describes the rows as the geometry sees them: Euclidean uses the stored values; cosine scales each row to
 * unit length (k-means on L2-normalised rows). An empty row keeps scale 1 and norm 0.
 */
export function createRowSpace(matrix: SparseMatrix, geometry: Geometry): RowSpace {
  const { rows, rowPtr, values } = matrix;
  const scale = new Float64Array(rows).fill(1);
  const norm2 = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    const a = rowPtr[i]!;
    const b = rowPtr[i + 1]!;
    if (values === null) sum = b - a;
    else
      for (let p = a; p < b; p++) {
        const v = values[p]!;
        sum += v * v;
      }
    if (geometry === "cosine" && sum > 0) {
      scale[i] = 1 / Math.sqrt(sum);
      norm2[i] = 1;
    } else norm2[i] = sum;
  }
  return { matrix, geometry, scale, norm2 };
}

/**
 * Writes x_i . c_j for every centroid j into out[0..k): one pass over row i's entries, k values per entry.
 * Unrolled in blocks of 8 and 4 so the partial sums stay in registers.
 */
export function dotsWithCentroids(
  space: RowSpace,
  row: number,
  centroids: Float32Array,
  k: number,
  out: Float64Array,
): void {
  const { rowPtr, colIdx, values } = space.matrix;
  const a = rowPtr[row]!;
  const b = rowPtr[row + 1]!;
  const s = space.scale[row]!;
  if (values !== null) {
    for (let j = 0; j < k; j++) out[j] = 0;
    for (let p = a; p < b; p++) {
      const base = colIdx[p]! * k;
      const v = values[p]!;
      for (let j = 0; j < k; j++) out[j]! += v * centroids[base + j]!;
    }
    for (let j = 0; j < k; j++) out[j]! *= s;
    return;
  }
  let j = 0;
  for (; j + 8 <= k; j += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let p = a; p < b; p++) {
      const base = colIdx[p]! * k + j;
      s0 += centroids[base]!;
      s1 += centroids[base + 1]!;
      s2 += centroids[base + 2]!;
      s3 += centroids[base + 3]!;
      s4 += centroids[base + 4]!;
      s5 += centroids[base + 5]!;
      s6 += centroids[base + 6]!;
      s7 += centroids[base + 7]!;
    }
    out[j] = s0 * s;
    out[j + 1] = s1 * s;
    out[j + 2] = s2 * s;
    out[j + 3] = s3 * s;
    out[j + 4] = s4 * s;
    out[j + 5] = s5 * s;
    out[j + 6] = s6 * s;
    out[j + 7] = s7 * s;
  }
  for (; j + 4 <= k; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let p = a; p < b; p++) {
      const base = colIdx[p]! * k + j;
      s0 += centroids[base]!;
      s1 += centroids[base + 1]!;
      s2 += centroids[base + 2]!;
      s3 += centroids[base + 3]!;
    }
    out[j] = s0 * s;
    out[j + 1] = s1 * s;
    out[j + 2] = s2 * s;
    out[j + 3] = s3 * s;
  }
  for (; j < k; j++) {
    let s0 = 0;
    for (let p = a; p < b; p++) s0 += centroids[colIdx[p]! * k + j]!;
    out[j] = s0 * s;
  }
}

/** x_i . c_j for one centroid j (a strided gather: cheaper than all k when only one is needed). */
export function dotWithCentroid(
  space: RowSpace,
  row: number,
  centroids: Float32Array,
  k: number,
  j: number,
): number {
  const { rowPtr, colIdx, values } = space.matrix;
  const a = rowPtr[row]!;
  const b = rowPtr[row + 1]!;
  let sum = 0;
  if (values === null) for (let p = a; p < b; p++) sum += centroids[colIdx[p]! * k + j]!;
  else for (let p = a; p < b; p++) sum += values[p]! * centroids[colIdx[p]! * k + j]!;
  return sum * space.scale[row]!;
}

/** Squared norms ||c_j||^2 of movie-major centroids, in float64. */
export function centroidNorms(centroids: Float32Array, k: number, cols: number): Float64Array {
  const norms = new Float64Array(k);
  for (let m = 0; m < cols; m++) {
    const base = m * k;
    for (let j = 0; j < k; j++) {
      const v = centroids[base + j]!;
      norms[j]! += v * v;
    }
  }
  return norms;
}
