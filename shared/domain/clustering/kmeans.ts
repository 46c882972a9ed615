/**
 * Seeded k-means over a sparse matrix: k-means++ initialisation, Lloyd iterations pruned by distance bounds
 * (Elkan's per-centre lower bounds and centre-centre distances, with Hamerly's one-test shortcut; exact
 * Lloyd results, most distance computations skipped once assignments settle), empty-cluster
 * repair, and restarts keeping the lowest inertia. One iteration costs O(nnz x k) at most.
 */

import { ValidationError } from "../errors.js";
import { isParallel, type ParallelRunner } from "../parallel.js";
import { TRAINING_DEFAULTS } from "../settings.js";
import { centroidNorms, createRowSpace, dotWithCentroid, type RowSpace } from "./centroid-distances.js";
import {
  type AssignResult,
  type AssignShared,
  assignRows,
  type RowRange,
  rowRanges,
} from "./kmeans-assign.js";
import type { Geometry } from "./model.js";
import { createRandom, fmix32, type Random } from "./random.js";
import { permuteColumnsByPopularity, type SparseMatrix } from "./sparse-matrix.js";

/** Reported while k-means runs: after each restart's initialisation and after each Lloyd update. */
export type KMeansProgress =
  | { readonly kind: "init"; readonly restart: number }
  | {
      readonly kind: "iteration";
      readonly restart: number;
      readonly iteration: number;
      readonly inertia: number;
      /** Users whose cluster changed in this iteration's assignment step. */
      readonly changed: number;
      /** Users whose k distances were all computed in one pass over their row. */
      readonly fullScans: number;
      /** Single user-centroid distances computed where the bounds left only a few candidates. */
      readonly singleDistances: number;
    };

/** Options of {@link kmeans}; every field but `k` and `seed` has a default. */
export interface KMeansOptions {
  readonly k: number;
  readonly seed: number;
  /** "euclidean" clusters the stored rows; "cosine" clusters L2-normalised rows. Default TRAINING_DEFAULTS' (cosine). */
  readonly geometry?: Geometry;
  /** Cap on Lloyd updates per restart. Default TRAINING_DEFAULTS' (100). */
  readonly maxIterations?: number;
  /** Stop when an update lowers the inertia by at most this share of it. Default TRAINING_DEFAULTS' (1e-4); 0 runs to a fixed point. */
  readonly tolerance?: number;
  /** Independent seeded runs; the one with the lowest inertia wins (ties: the earlier). Default TRAINING_DEFAULTS' (4). */
  readonly restarts?: number;
  /** Initial centroids instead of k-means++: k arrays of `cols` coordinates, in the geometry's space. */
  readonly init?: readonly (readonly number[])[];
  readonly onProgress?: (event: KMeansProgress) => void;
  /**
   * Worker threads (identical results): several restarts run side by side; a single restart (or a given
   * `init`) splits each assignment step's rows over the threads instead. Absent: everything here.
   */
  readonly parallel?: ParallelRunner;
}

/** The best restart's clustering. */
export interface KMeansResult {
  readonly k: number;
  readonly geometry: Geometry;
  /** assignments[i] is row i's cluster, 0..k-1; the nearest centroid to row i (ties: the smaller index). */
  readonly assignments: Int32Array;
  /** Members per cluster. Every cluster has at least one unless the final assignment emptied it. */
  readonly sizes: Int32Array;
  /** Movie-major float32 centroids: centroids[movie * k + j]. */
  readonly centroids: Float32Array;
  /** Sum over rows of the squared distance to the assigned centroid. */
  readonly inertia: number;
  /** Lloyd updates run by the winning restart. */
  readonly iterations: number;
  /** True when the last assignment step changed nobody (a fixed point), false at the cap or tolerance. */
  readonly converged: boolean;
  /** Inertia after each update of the winning restart (each assignment against its own means); never rises. */
  readonly inertiaHistory: readonly number[];
  /** Index of the winning restart, and the final inertia of every restart. */
  readonly restart: number;
  readonly restartInertias: readonly number[];
}

/** Relative slack on distance bounds, so rounding can never make a pruned row differ from plain Lloyd. */
const BOUND_SLACK = 1e-9;

interface RunResult {
  readonly assignments: Int32Array;
  readonly sizes: Int32Array;
  readonly centroids: Float32Array;
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly inertiaHistory: number[];
}

/**
 * Clusters the rows of `matrix` into k groups, deterministically for a given seed. Throws ValidationError
 * for a k outside 1..rows or an `init` of the wrong shape.
 */
export function kmeans(matrix: SparseMatrix, options: KMeansOptions): KMeansResult {
  const geometry = options.geometry ?? TRAINING_DEFAULTS.geometry;
  const { k } = options;
  const maxIterations = options.maxIterations ?? TRAINING_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? TRAINING_DEFAULTS.tolerance;
  const restarts = options.init ? 1 : (options.restarts ?? TRAINING_DEFAULTS.restarts);
  if (!Number.isInteger(k) || k < 1) throw new ValidationError("k", `k must be a positive integer, got ${k}`);
  if (k > matrix.rows)
    throw new ValidationError("k", `k is ${k} but there are only ${matrix.rows} rows to cluster`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1)
    throw new ValidationError(
      "maxIterations",
      `maxIterations must be a positive integer, got ${maxIterations}`,
    );
  if (!(tolerance >= 0)) throw new ValidationError("tolerance", `tolerance must be >= 0, got ${tolerance}`);
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new ValidationError("restarts", `restarts must be a positive integer, got ${restarts}`);
  // Work on columns renumbered by popularity: the hot rows of the centroid table become contiguous
  // (measured ~15% faster full scans at 25M scale); centroids are mapped back to the caller's columns.
  const { matrix: work, order } = permuteColumnsByPopularity(matrix);
  const shared: RestartShared = {
    work,
    geometry,
    k,
    seed: options.seed,
    maxIterations,
    tolerance,
    init: options.init ? initFromArrays(options.init, k, order) : null,
  };
  const restartIds = Array.from({ length: restarts }, (_, r) => r);
  // In parallel each restart's progress is replayed when all have finished; here it is reported live.
  const parallel = isParallel(options.parallel) ? options.parallel : null;
  const runs =
    parallel !== null && restarts > 1
      ? parallel.run<RestartShared, number, RestartRun>("kmeans-restart", shared, restartIds)
      : restartIds.map((r) => kmeansRestart(shared, r, options.onProgress ?? null, parallel));
  let best: RunResult | undefined;
  let bestRestart = 0;
  const restartInertias: number[] = [];
  for (const [r, run] of runs.entries()) {
    if (options.onProgress) for (const event of run.events) options.onProgress(event);
    restartInertias.push(run.inertia);
    if (best === undefined || run.inertia < best.inertia) {
      best = run;
      bestRestart = r;
    }
  }
  const centroids = new Float32Array(matrix.cols * k);
  for (let c = 0; c < matrix.cols; c++)
    centroids.set(best!.centroids.subarray(c * k, c * k + k), order[c]! * k);
  const { events: _events, ...winner } = best as RestartRun;
  return { k, geometry, ...winner, centroids, restart: bestRestart, restartInertias };
}

/** What every restart of one fit shares: the column-permuted matrix, k, the settings, and any given init. */
export interface RestartShared {
  readonly work: SparseMatrix;
  readonly geometry: Geometry;
  readonly k: number;
  readonly seed: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  /** Initial movie-major centroids in the permuted columns; null for k-means++. */
  readonly init: Float32Array | null;
}

/** One restart's clustering, and its progress events when they were not reported live. */
export interface RestartRun extends RunResult {
  readonly events: readonly KMeansProgress[];
}

/**
 * Kernel "kmeans-restart": restart r of a fit (k-means++ seeded from seed and r, then Lloyd), independent
 * of every other restart. Progress goes to `onProgress` live, or, when it is null, into the result's events.
 */
export function kmeansRestart(
  shared: RestartShared,
  r: number,
  onProgress: ((event: KMeansProgress) => void) | null = null,
  assignRunner: ParallelRunner | null = null,
): RestartRun {
  const { k } = shared;
  const space = createRowSpace(shared.work, shared.geometry);
  const events: KMeansProgress[] = [];
  const report = onProgress ?? ((event: KMeansProgress) => events.push(event));
  const centroids = shared.init
    ? shared.init.slice()
    : kmeansPlusPlus(space, k, createRandom(fmix32(shared.seed) ^ Math.imul(r + 1, 0x9e3779b9)));
  report({ kind: "init", restart: r });
  const run = lloyd(space, k, centroids, shared.maxIterations, shared.tolerance, r, report, assignRunner);
  return { ...run, events };
}

/** Copies caller-given cluster-major centroids into the movie-major float32 layout, columns in `order`. */
function initFromArrays(init: readonly (readonly number[])[], k: number, order: Int32Array): Float32Array {
  const cols = order.length;
  if (init.length !== k)
    throw new ValidationError("init", `init has ${init.length} centroids, expected ${k}`);
  const centroids = new Float32Array(cols * k);
  init.forEach((centroid, j) => {
    if (centroid.length !== cols)
      throw new ValidationError(
        "init",
        `init centroid ${j} has ${centroid.length} coordinates, expected ${cols}`,
      );
    for (let m = 0; m < cols; m++) centroids[m * k + j] = centroid[order[m]!]!;
  });
  return centroids;
}

/**
 * k-means++ (Arthur and Vassilvitskii 2007): the first centre is a uniformly chosen row, each next one a
 * row drawn with probability proportional to its squared distance to the nearest centre so far. The
 * distance array is updated in O(nnz) per new centre (one dense scatter of the centre's row).
 */
function kmeansPlusPlus(space: RowSpace, k: number, random: Random): Float32Array {
  const { matrix, scale, norm2 } = space;
  const { rows, cols, rowPtr, colIdx, values } = matrix;
  const centroids = new Float32Array(cols * k);
  const nearest = new Float64Array(rows).fill(Infinity);
  const dense = new Float64Array(cols);
  const chosen = new Uint8Array(rows);
  let pick = random.int(rows);
  for (let j = 0; j < k; j++) {
    chosen[pick] = 1;
    const a = rowPtr[pick]!;
    const b = rowPtr[pick + 1]!;
    for (let p = a; p < b; p++) {
      const v = (values === null ? 1 : values[p]!) * scale[pick]!;
      dense[colIdx[p]!] = v;
      centroids[colIdx[p]! * k + j] = v;
    }
    const centreNorm = norm2[pick]!;
    let total = 0;
    for (let i = 0; i < rows; i++) {
      let dot = 0;
      const ra = rowPtr[i]!;
      const rb = rowPtr[i + 1]!;
      if (values === null) for (let p = ra; p < rb; p++) dot += dense[colIdx[p]!]!;
      else for (let p = ra; p < rb; p++) dot += values[p]! * dense[colIdx[p]!]!;
      const d = Math.max(0, norm2[i]! - 2 * dot * scale[i]! + centreNorm);
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    for (let p = a; p < b; p++) dense[colIdx[p]!] = 0;
    if (j + 1 === k) break;
    pick = -1;
    if (total > 0) {
      const target = random.next() * total;
      let cumulative = 0;
      for (let i = 0; i < rows; i++) {
        const d = nearest[i]!;
        if (d <= 0) continue;
        cumulative += d;
        pick = i;
        if (cumulative > target) break;
      }
    }
    if (pick < 0) {
      // Every row sits on a centre already: take any row not yet chosen (k <= rows guarantees one).
      pick = random.int(rows);
      while (chosen[pick] === 1) pick = (pick + 1) % rows;
    }
  }
  return centroids;
}

/** Rows per thread below which an assignment step stays in this thread (the hand-off would cost more). */
const MIN_ROWS_PER_THREAD = 2048;

/**
 * Lloyd iterations from the given centroids (which it overwrites), pruned by distance bounds. With a runner
 * of several threads (and rows enough), each assignment step's rows are split over them ("kmeans-assign");
 * the moves come back per range and are applied in row order, so the sums, and so every result, are exactly
 * the single-threaded ones.
 */
function lloyd(
  rowSpace: RowSpace,
  k: number,
  initial: Float32Array,
  maxIterations: number,
  tolerance: number,
  restart: number,
  onProgress: KMeansOptions["onProgress"],
  assignRunner: ParallelRunner | null = null,
): RunResult {
  const runner =
    assignRunner !== null &&
    isParallel(assignRunner) &&
    assignRunner.share !== undefined &&
    rowSpace.matrix.rows >= MIN_ROWS_PER_THREAD * 2
      ? assignRunner
      : null;
  // The matrix and the per-row state go into shared memory once; the workers write their rows' bounds there.
  const share = <T>(value: T): T => (runner === null ? value : runner.share!(value));
  const space = share(rowSpace);
  const { matrix, scale, norm2 } = space;
  const { rows, cols, rowPtr, colIdx, values } = matrix;
  let centroids = share(initial);
  let next: Float32Array = share(new Float32Array(cols * k));
  let norms = centroidNorms(centroids, k, cols);
  const assignments = share(new Int32Array(rows));
  const upper = share(new Float64Array(rows));
  // Elkan's per-centre lower bounds, lower[i * k + j] <= d(x_i, c_j): each decays only by its own centre's
  // move, so one far-moving centre does not force every row to be rescanned (as Hamerly's single bound does).
  const lower = share(new Float64Array(rows * k));
  const sums = new Float64Array(cols * k);
  const sizes = new Int32Array(k);
  const halfGap = new Float64Array(k);
  const halfDist = new Float64Array(k * k);
  const moved = new Float64Array(k);
  let sumNorm2 = 0;
  let maxNorm2 = 0;
  for (let i = 0; i < rows; i++) {
    sumNorm2 += norm2[i]!;
    if (norm2[i]! > maxNorm2) maxNorm2 = norm2[i]!;
  }

  /** Adds (sign 1) or removes (sign -1) row i's coordinates to cluster j's sums. */
  const addRow = (i: number, j: number, sign: number): void => {
    const s = scale[i]! * sign;
    for (let p = rowPtr[i]!, b = rowPtr[i + 1]!; p < b; p++)
      sums[colIdx[p]! * k + j]! += (values === null ? 1 : values[p]!) * s;
    sizes[j]! += sign;
  };

  /** Rows whose bounds leave at most this many candidate centres get one strided gather per candidate. */
  const partialLimit = Math.max(1, Math.floor(k / 4));
  const ranges = runner === null ? [{ from: 0, to: rows }] : rowRanges(rows, runner.workers);

  // Tightening a failed upper bound costs a strided gather; it is skipped while it rarely saves a full scan.
  let tighten = true;
  /** One assignment step; first=true computes every distance. Returns how many rows changed cluster. */
  const assign = (first: boolean): { changed: number; fullScans: number; singleDistances: number } => {
    let maxNorm = 0;
    for (let j = 0; j < k; j++) if (norms[j]! > maxNorm) maxNorm = norms[j]!;
    const slack = BOUND_SLACK * (maxNorm2 + maxNorm);
    const step: AssignShared = {
      space,
      k,
      centroids,
      norms,
      halfGap,
      halfDist,
      assignments,
      upper,
      lower,
      first,
      tighten,
      slack,
      partialLimit,
    };
    const results =
      runner === null
        ? [assignRows(step, ranges[0]!)]
        : runner.run<AssignShared, RowRange, AssignResult>("kmeans-assign", step, ranges);
    let changed = 0;
    let fullScans = 0;
    let singles = 0;
    let tightened = 0;
    let saved = 0;
    // The ranges are in row order: the sums change exactly as in one pass over all rows.
    for (const result of results) {
      const { moves } = result;
      for (let m = 0; m < moves.length; m += 2) {
        const i = moves[m]!;
        addRow(i, moves[m + 1]!, -1);
        addRow(i, assignments[i]!, 1);
      }
      changed += moves.length / 2;
      fullScans += result.fullScans;
      singles += result.singles;
      tightened += result.tightened;
      saved += result.saved;
    }
    if (first) {
      for (let i = 0; i < rows; i++) addRow(i, assignments[i]!, 1);
      changed = rows;
    } else tighten = !tighten || saved * 4 >= tightened;
    return { changed, fullScans, singleDistances: singles + tightened };
  };

  /** Gives each empty cluster the row farthest from its centroid, taken from a cluster with 2+ members. */
  const repairEmpty = (): void => {
    let empty = 0;
    for (let j = 0; j < k; j++) if (sizes[j] === 0) empty++;
    if (empty === 0) return;
    const far = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const j = assignments[i]!;
      far[i] = norm2[i]! - 2 * dotWithCentroid(space, i, centroids, k, j) + norms[j]!;
    }
    const order = Array.from({ length: rows }, (_, i) => i).sort((x, y) => far[y]! - far[x]! || x - y);
    let cursor = 0;
    for (let j = 0; j < k; j++) {
      if (sizes[j] !== 0) continue;
      while (sizes[assignments[order[cursor]!]!]! < 2) cursor++;
      const i = order[cursor++]!;
      addRow(i, assignments[i]!, -1);
      addRow(i, j, 1);
      assignments[i] = j;
      upper[i] = Infinity;
      lower.fill(0, i * k, i * k + k);
    }
  };

  /** Centroids become their clusters' means; returns the inertia of the assignment against those means. */
  const update = (): number => {
    for (let m = 0; m < cols; m++) {
      const base = m * k;
      for (let j = 0; j < k; j++)
        next[base + j] = sizes[j]! > 0 ? sums[base + j]! / sizes[j]! : centroids[base + j]!;
    }
    moved.fill(0);
    const sumSquares = new Float64Array(k);
    for (let m = 0; m < cols; m++) {
      const base = m * k;
      for (let j = 0; j < k; j++) {
        const diff = next[base + j]! - centroids[base + j]!;
        moved[j]! += diff * diff;
        const s = sums[base + j]!;
        sumSquares[j]! += s * s;
      }
    }
    let inertia = sumNorm2;
    for (let j = 0; j < k; j++) {
      moved[j] = Math.sqrt(moved[j]!) * (1 + BOUND_SLACK);
      if (sizes[j]! > 0) inertia -= sumSquares[j]! / sizes[j]!;
    }
    [centroids, next] = [next, centroids];
    norms = centroidNorms(centroids, k, cols);
    // Bound maintenance (triangle inequality): distances to centre j change by at most moved[j].
    for (let i = 0; i < rows; i++) {
      upper[i]! += moved[assignments[i]!]!;
      const base = i * k;
      for (let j = 0; j < k; j++) lower[base + j]! -= moved[j]!;
    }
    // Half the distance from each centre to its nearest other centre: a row closer than that cannot move.
    // It costs cols x k^2 / 2, so on matrices where that rivals a full scan (nnz x k) the test is left off
    // (half distances stay 0) and the per-centre lower bounds prune alone.
    if (k > 1 && cols * k <= matrix.nnz) {
      const gaps = new Float64Array(k * k);
      for (let m = 0; m < cols; m++) {
        const base = m * k;
        for (let p = 0; p < k; p++) {
          const cp = centroids[base + p]!;
          for (let q = p + 1; q < k; q++) {
            const diff = cp - centroids[base + q]!;
            gaps[p * k + q]! += diff * diff;
          }
        }
      }
      halfGap.fill(Infinity);
      for (let p = 0; p < k; p++)
        for (let q = p + 1; q < k; q++) {
          const half = (Math.sqrt(gaps[p * k + q]!) / 2) * (1 - BOUND_SLACK);
          halfDist[p * k + q] = half;
          halfDist[q * k + p] = half;
          if (half < halfGap[p]!) halfGap[p] = half;
          if (half < halfGap[q]!) halfGap[q] = half;
        }
    }
    return Math.max(0, inertia);
  };

  const inertiaHistory: number[] = [];
  let iterations = 0;
  let converged = false;
  let stop = false;
  for (;;) {
    const step = assign(iterations === 0);
    if (iterations > 0 && step.changed === 0) {
      converged = true;
      break;
    }
    if (stop || iterations === maxIterations) break;
    repairEmpty();
    const inertia = update();
    iterations++;
    const previous = inertiaHistory.at(-1);
    inertiaHistory.push(inertia);
    onProgress?.({
      kind: "iteration",
      restart,
      iteration: iterations,
      inertia,
      changed: step.changed,
      fullScans: step.fullScans,
      singleDistances: step.singleDistances,
    });
    if (previous !== undefined && previous - inertia <= tolerance * inertia) stop = true;
  }
  // Inertia of the final assignment against the returned centroids: sum ||x||^2 - 2 S_j.c_j + n_j ||c_j||^2.
  let inertia = sumNorm2;
  for (let m = 0; m < cols; m++) {
    const base = m * k;
    for (let j = 0; j < k; j++) inertia -= 2 * sums[base + j]! * centroids[base + j]!;
  }
  for (let j = 0; j < k; j++) inertia += sizes[j]! * norms[j]!;
  return {
    assignments,
    sizes,
    centroids,
    inertia: Math.max(0, inertia),
    iterations,
    converged,
    inertiaHistory,
  };
}
