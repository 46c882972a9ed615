/**
 * The assignment step of k-means's Lloyd iterations, over a range of rows, pruned by distance bounds (Elkan's
 * per-centre lower bounds, centre-centre half distances, Hamerly's one-test shortcut). Rows are independent:
 * each range reads the centroids and writes only its own rows' assignment and bounds, so ranges can run on
 * worker threads (kernel "kmeans-assign") and give exactly the single-threaded result. The clusters' sums are
 * not touched here: the caller applies the returned moves in row order, as the single-threaded loop did.
 */

import { dotsWithCentroids, dotWithCentroid, type RowSpace } from "./centroid-distances.js";

/** What every range of one assignment step reads (and the per-row arrays it writes, each row once). */
export interface AssignShared {
  readonly space: RowSpace;
  readonly k: number;
  /** Movie-major centroids and their squared norms. */
  readonly centroids: Float32Array;
  readonly norms: Float64Array;
  /** Half the distance from each centre to its nearest other centre; and between each pair (k x k). */
  readonly halfGap: Float64Array;
  readonly halfDist: Float64Array;
  /** Row i's cluster: read as the current one, overwritten with the nearest. */
  readonly assignments: Int32Array;
  /** Row i's upper bound on the distance to its centre, and its k lower bounds (row-major). */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** The first step computes every distance. */
  readonly first: boolean;
  /** Tighten a failed upper bound before a full scan (switched per step by the caller). */
  readonly tighten: boolean;
  /** Absolute slack added to bounds, so rounding never makes a pruned row differ from plain Lloyd. */
  readonly slack: number;
  /** Rows whose bounds leave at most this many candidates measure only those. */
  readonly partialLimit: number;
}

/** A range of rows, from inclusive, to exclusive. */
export interface RowRange {
  readonly from: number;
  readonly to: number;
}

/** What a range's assignment changed and cost. */
export interface AssignResult {
  /** Pairs (row, previous cluster) of the rows whose cluster changed, ascending by row; empty on the first step. */
  readonly moves: Int32Array;
  readonly fullScans: number;
  readonly singles: number;
  readonly tightened: number;
  readonly saved: number;
}

/**
 * Kernel "kmeans-assign": assigns rows `from`..`to`-1 to their nearest centroid (ties: the smaller index),
 * updating their bounds; writes `assignments` for those rows and returns the moves. Deterministic: the same
 * arithmetic in the same order as a single pass over all rows.
 */
export function assignRows(shared: AssignShared, range: RowRange): AssignResult {
  const { space, k, centroids, norms, halfGap, halfDist, assignments, upper, lower, first, tighten, slack } =
    shared;
  const { norm2 } = space;
  const partialLimit = shared.partialLimit;
  const candidates = new Int32Array(k);
  const dots = new Float64Array(k);
  const moves: number[] = [];

  /**
   * Centres row i might be nearer to than `current`, given upper bound u: those whose lower bound and half
   * distance to `current` are both <= u. Written to `candidates`; returns how many (stops past the limit).
   */
  const candidatesOf = (i: number, current: number, u: number, limit: number): number => {
    const base = i * k;
    const gapBase = current * k;
    let n = 0;
    for (let j = 0; j < k; j++) {
      if (j === current || u < lower[base + j]! || u < halfDist[gapBase + j]!) continue;
      if (n === limit) return n + 1;
      candidates[n++] = j;
    }
    return n;
  };

  let fullScans = 0;
  let singles = 0;
  let tightened = 0;
  let saved = 0;
  for (let i = range.from; i < range.to; i++) {
    const current = assignments[i]!;
    const x2 = norm2[i]!;
    const base = i * k;
    let best = current;
    let bestD = Infinity;
    let scanned = first;
    if (!first) {
      // A row keeps its centre when, for every other centre j, its upper bound is below the lower bound
      // on d(x, c_j) or below half the distance between the two centres.
      if (upper[i]! < halfGap[current]! || candidatesOf(i, current, upper[i]!, 0) === 0) continue;
      if (tighten) {
        tightened++;
        bestD = norms[current]! - 2 * dotWithCentroid(space, i, centroids, k, current);
        upper[i] = Math.sqrt(Math.max(0, x2 + bestD) + slack);
        lower[base + current] = Math.sqrt(Math.max(0, x2 + bestD - slack));
        const n = candidatesOf(i, current, upper[i]!, partialLimit);
        if (n <= partialLimit) {
          // Few candidates: measure just those (bit-identical to the full scan's values for them).
          saved++;
          singles += n;
          for (let c = 0; c < n; c++) {
            const j = candidates[c]!;
            const d = norms[j]! - 2 * dotWithCentroid(space, i, centroids, k, j);
            lower[base + j] = Math.sqrt(Math.max(0, x2 + d - slack));
            if (d < bestD || (d === bestD && j < best)) {
              bestD = d;
              best = j;
            }
          }
        } else scanned = true;
      } else scanned = true;
    }
    if (scanned) {
      fullScans++;
      dotsWithCentroids(space, i, centroids, k, dots);
      best = 0;
      bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const d = norms[j]! - 2 * dots[j]!;
        if (d < bestD) {
          bestD = d;
          best = j;
        }
        lower[base + j] = Math.sqrt(Math.max(0, x2 + d - slack));
      }
    }
    upper[i] = Math.sqrt(Math.max(0, x2 + bestD) + slack);
    if (first) assignments[i] = best;
    else if (best !== current) {
      assignments[i] = best;
      moves.push(i, current);
    }
  }
  return { moves: Int32Array.from(moves), fullScans, singles, tightened, saved };
}

/** Splits rows 0..rows-1 into `parts` contiguous ranges of near-equal size (fewer when rows are few). */
export function rowRanges(rows: number, parts: number): RowRange[] {
  const count = Math.max(1, Math.min(parts, rows));
  return Array.from({ length: count }, (_, p) => ({
    from: Math.floor((rows * p) / count),
    to: Math.floor((rows * (p + 1)) / count),
  }));
}
