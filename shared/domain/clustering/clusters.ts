/**
 * Cluster contents and folding: each cluster's per-movie favourite counts, the "nearest cluster for a set of
 * favourites" rule (which serving reuses to place a user trained without favourites), and the folding of
 * clusters smaller than S members into the survivors by that rule.
 */
import type { ClusterCounts } from "./model.js";
import type { SparseMatrix } from "./sparse-matrix.js";

/** Dense per-cluster counts: counts[cluster * cols + col] members of the cluster favourited column col. */
export interface DenseClusterCounts {
  readonly k: number;
  readonly sizes: Int32Array;
  readonly counts: Int32Array;
}

/** Counts, for each cluster, its members and how many of them favourited each movie. O(nnz + k x cols). */
export function countClusterFavourites(
  matrix: SparseMatrix,
  assignments: Int32Array,
  k: number,
): DenseClusterCounts {
  const { rows, cols, rowPtr, colIdx } = matrix;
  const sizes = new Int32Array(k);
  const counts = new Int32Array(k * cols);
  for (let i = 0; i < rows; i++) {
    const base = assignments[i]! * cols;
    sizes[assignments[i]!]!++;
    for (let p = rowPtr[i]!, b = rowPtr[i + 1]!; p < b; p++) counts[base + colIdx[p]!]!++;
  }
  return { k, sizes, counts };
}

/** Movies with a positive count, sorted by count descending then movieId ascending (colIds are ascending). */
function sortedCounts(
  counts: Int32Array,
  offset: number,
  colIds: Int32Array,
  largest: number,
): { movieIds: Int32Array; counts: Int32Array } {
  const cols = colIds.length;
  let n = 0;
  for (let c = 0; c < cols; c++) if (counts[offset + c]! > 0) n++;
  // One float64 key per movie, (largest - count) * cols + col, sorts both orders at once (exact below 2^53).
  const keys = new Float64Array(n);
  n = 0;
  for (let c = 0; c < cols; c++) {
    const count = counts[offset + c]!;
    if (count > 0) keys[n++] = (largest - count) * cols + c;
  }
  keys.sort();
  const movieIds = new Int32Array(n);
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const col = keys[i]! % cols;
    movieIds[i] = colIds[col]!;
    sorted[i] = largest - (keys[i]! - col) / cols;
  }
  return { movieIds, counts: sorted };
}

/** Turns dense counts into the model's per-cluster lists, ids 0..k-1, each sorted by count then movieId. */
export function toClusterCounts(matrix: SparseMatrix, dense: DenseClusterCounts): ClusterCounts[] {
  return Array.from({ length: dense.k }, (_, clusterId) => ({
    clusterId,
    size: dense.sizes[clusterId]!,
    ...sortedCounts(dense.counts, clusterId * matrix.cols, matrix.colIds, dense.sizes[clusterId]!),
  }));
}

/** Every movie's favourite count over all users (the matrix's column sums), sorted like ClusterCounts. */
export function globalCounts(matrix: SparseMatrix): {
  users: number;
  movieIds: Int32Array;
  counts: Int32Array;
} {
  const counts = new Int32Array(matrix.cols);
  for (let p = 0; p < matrix.nnz; p++) counts[matrix.colIdx[p]!]!++;
  return { users: matrix.rows, ...sortedCounts(counts, 0, matrix.colIds, matrix.rows) };
}

/** A cluster as the placement rule sees it: its size and its movies' favourite counts. */
export interface ClusterTaste {
  readonly clusterId: number;
  readonly size: number;
  /** movieId -> members who favourited it; absent means 0. */
  readonly counts: ReadonlyMap<number, number>;
}

/** Where a set of favourites was placed, and the figures the choice was made on. */
export interface Placement {
  readonly clusterId: number;
  /** How many of the favourites have a count > 0 in the cluster. */
  readonly covered: number;
  /** covered / number of distinct favourites (0 when there are none). */
  readonly coverage: number;
  /** Sum over the favourites of count / size: how strongly the cluster shares them. */
  readonly affinity: number;
}

/** The placement order: more favourites covered, then larger affinity, then the smaller cluster id. */
function isBetter(
  covered: number,
  affinity: number,
  clusterId: number,
  best: { covered: number; affinity: number; clusterId: number } | null,
): boolean {
  if (best === null) return true;
  if (covered !== best.covered) return covered > best.covered;
  if (affinity !== best.affinity) return affinity > best.affinity;
  return clusterId < best.clusterId;
}

/**
 * The nearest cluster for a set of favourites by coverage, from cluster counts and sizes alone: the cluster that covers
 * the largest share of the favourites (a favourite is covered when its count in the cluster is > 0), ties
 * broken by the larger sum of count / size over the favourites, then by the smaller cluster id. Clusters with
 * no members are never chosen; null when no cluster has members. Repeated favourites count once.
 */
export function coveringCluster(
  favourites: Iterable<number>,
  clusters: readonly ClusterTaste[],
): Placement | null {
  const movies = [...new Set(favourites)].sort((a, b) => a - b);
  let best: Placement | null = null;
  for (const cluster of clusters) {
    if (cluster.size <= 0) continue;
    let covered = 0;
    let affinity = 0;
    for (const movieId of movies) {
      const count = cluster.counts.get(movieId) ?? 0;
      if (count > 0) {
        covered++;
        affinity += count / cluster.size;
      }
    }
    if (isBetter(covered, affinity, cluster.clusterId, best))
      best = {
        clusterId: cluster.clusterId,
        covered,
        coverage: movies.length === 0 ? 0 : covered / movies.length,
        affinity,
      };
  }
  return best;
}

/** The outcome of folding: new assignments with dense ids 0..k-1, and where each old cluster went. */
export interface FoldResult {
  readonly assignments: Int32Array;
  readonly k: number;
  /** survivorOf[old] is the old cluster's new id, or -1 when it was folded away (or was empty). */
  readonly survivorOf: Int32Array;
  /** Users moved out of folded clusters. */
  readonly movedUsers: number;
}

/**
 * Folds every cluster with fewer than `minClusterSize` members: each member moves to the surviving cluster
 * nearest to its favourites by {@link coveringCluster}'s rule, judged on the survivors' counts before any
 * member moved (so the result does not depend on the order of members). Survivors are renumbered densely
 * in their old order. When no cluster reaches the minimum, nothing is folded and only empty clusters go.
 */
export function foldSmallClusters(
  matrix: SparseMatrix,
  assignments: Int32Array,
  dense: DenseClusterCounts,
  minClusterSize: number,
): FoldResult {
  const { k, sizes, counts } = dense;
  const { rows, cols, rowPtr, colIdx } = matrix;
  let surviving = 0;
  for (let c = 0; c < k; c++) if (sizes[c]! >= minClusterSize) surviving++;
  const threshold = surviving === 0 ? 1 : minClusterSize;
  const survivorOf = new Int32Array(k).fill(-1);
  let next = 0;
  for (let c = 0; c < k; c++) if (sizes[c]! >= threshold) survivorOf[c] = next++;
  const folded = new Int32Array(rows);
  let movedUsers = 0;
  for (let i = 0; i < rows; i++) {
    const old = assignments[i]!;
    if (survivorOf[old]! >= 0) {
      folded[i] = survivorOf[old]!;
      continue;
    }
    let best: { covered: number; affinity: number; clusterId: number } | null = null;
    for (let c = 0; c < k; c++) {
      if (survivorOf[c]! < 0) continue;
      const base = c * cols;
      let covered = 0;
      let affinity = 0;
      for (let p = rowPtr[i]!, b = rowPtr[i + 1]!; p < b; p++) {
        const count = counts[base + colIdx[p]!]!;
        if (count > 0) {
          covered++;
          affinity += count / sizes[c]!;
        }
      }
      if (isBetter(covered, affinity, c, best)) best = { covered, affinity, clusterId: c };
    }
    folded[i] = survivorOf[best!.clusterId]!;
    movedUsers++;
  }
  return { assignments: folded, k: next, survivorOf, movedUsers };
}
