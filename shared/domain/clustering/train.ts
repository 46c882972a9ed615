/**
 * The training orchestrator: ratings table -> favourites matrix -> k (fixed or chosen) -> final k-means fit
 * -> cluster counts -> folding of small clusters -> soft memberships -> a complete TrainedModel.
 * Pure and deterministic for a given seed.
 */

import { TrainingError, ValidationError } from "../errors.js";
import type { RatingsTable } from "../input/ratings.js";
import { TRAINING_DEFAULTS } from "../settings.js";
import { countClusterFavourites, foldSmallClusters, globalCounts, toClusterCounts } from "./clusters.js";
import { fixedKReport, selectK, silhouette, silhouetteSample } from "./k-selection.js";
import { kmeans } from "./kmeans.js";
import { softMemberships } from "./memberships.js";
import type { KSelectionReport, TrainedModel, TrainOptions } from "./model.js";
import { fmix32 } from "./random.js";
import { buildFavouriteMatrix, type SparseMatrix } from "./sparse-matrix.js";

/** Ids up to this use dense typed arrays for per-id tallies; larger ones a Map. */
const DENSE_ID_LIMIT = 1 << 24;

/** Count and mean rating per movie by ascending movieId; NaN ratings (favourites format) are skipped. */
function movieRatings(table: RatingsTable): TrainedModel["movieRatings"] {
  const n = table.length;
  let maxId = 0;
  for (let i = 0; i < n; i++) if (table.movieIds[i]! > maxId) maxId = table.movieIds[i]!;
  const tally = new Map<number, number>();
  const dense = maxId <= DENSE_ID_LIMIT;
  const slotCount = new Int32Array(dense ? maxId + 1 : n);
  const slotSum = new Float64Array(dense ? maxId + 1 : n);
  for (let i = 0; i < n; i++) {
    const rating = table.ratings[i]!;
    if (Number.isNaN(rating)) continue;
    const movieId = table.movieIds[i]!;
    let slot = movieId;
    if (!dense) {
      slot = tally.get(movieId) ?? tally.size;
      tally.set(movieId, slot);
    }
    slotCount[slot]!++;
    slotSum[slot]! += rating;
  }
  const ids = dense
    ? Int32Array.from({ length: maxId + 1 }, (_, id) => id).filter((id) => slotCount[id]! > 0)
    : Int32Array.from(tally.keys()).sort();
  const counts = new Int32Array(ids.length);
  const means = new Float32Array(ids.length);
  ids.forEach((movieId, i) => {
    const slot = dense ? movieId : tally.get(movieId)!;
    counts[i] = slotCount[slot]!;
    means[i] = slotSum[slot]! / slotCount[slot]!;
  });
  return { movieIds: ids, counts, means };
}

/** Number of distinct values in the first `length` ids. */
function distinct(ids: Int32Array, length: number): number {
  let maxId = 0;
  for (let i = 0; i < length; i++) if (ids[i]! > maxId) maxId = ids[i]!;
  if (maxId > DENSE_ID_LIMIT) return new Set(ids.subarray(0, length)).size;
  const seen = new Uint8Array(maxId + 1);
  let count = 0;
  for (let i = 0; i < length; i++)
    if (seen[ids[i]!] === 0) {
      seen[ids[i]!] = 1;
      count++;
    }
  return count;
}

/**
 * Trains a model from parsed ratings. Throws TrainingError when the data cannot give what was asked (no
 * favourites at all, or a fixed k above the number of users with favourites), ValidationError for a
 * malformed option. `matrix` is the table's favourites (buildFavouriteMatrix(table)): a caller that needs
 * it too (item neighbours, the version's favourites) builds it once and passes it.
 */
export function trainModel(
  table: RatingsTable,
  options: TrainOptions,
  matrix: SparseMatrix = buildFavouriteMatrix(table),
): TrainedModel {
  const geometry = options.geometry ?? TRAINING_DEFAULTS.geometry;
  const minClusterSize = options.minClusterSize ?? TRAINING_DEFAULTS.minClusterSize;
  const restarts = options.restarts ?? TRAINING_DEFAULTS.restarts;
  const maxIterations = options.maxIterations ?? TRAINING_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? TRAINING_DEFAULTS.tolerance;
  const membershipWidth = options.membershipWidth ?? TRAINING_DEFAULTS.membershipWidth;
  const favouriteThreshold = options.favouriteThreshold ?? TRAINING_DEFAULTS.favouriteThreshold;
  const sharpness = options.membershipSharpness ?? TRAINING_DEFAULTS.membershipSharpness;
  const wanted = options.k ?? TRAINING_DEFAULTS.k;
  if (wanted !== "auto" && (!Number.isInteger(wanted) || wanted < 1))
    throw new ValidationError("k", `k must be "auto" or a positive integer, got ${wanted}`);
  if (!Number.isInteger(membershipWidth) || membershipWidth < 1)
    throw new ValidationError(
      "membershipWidth",
      `membershipWidth must be a positive integer, got ${membershipWidth}`,
    );
  if (!(sharpness >= 0))
    throw new ValidationError("membershipSharpness", `membershipSharpness must be >= 0, got ${sharpness}`);
  const { onProgress } = options;

  if (matrix.nnz === 0)
    throw new TrainingError(
      `No favourites to train on: none of the ${table.length} rating rows is a favourite (rating >= ${favouriteThreshold}).`,
    );
  onProgress?.({ stage: "matrix", users: matrix.rows, movies: matrix.cols, favourites: matrix.nnz });
  if (wanted !== "auto" && wanted > matrix.rows)
    throw new TrainingError(
      `k = ${wanted} asks for more clusters than there are users with favourites (${matrix.rows}).`,
    );

  let selection: KSelectionReport | null = null;
  if (wanted === "auto")
    selection = selectK(matrix, {
      seed: options.seed,
      kRange: options.kRange ?? TRAINING_DEFAULTS.kRange,
      geometry,
      tolerance,
      ...options.sweep,
      ...(options.parallel ? { parallel: options.parallel } : {}),
      onCandidate: (c) =>
        onProgress?.({ stage: "k-selection", k: c.k, wcss: c.wcss, silhouette: c.silhouette }),
    });
  const k = selection?.chosenK ?? (wanted as number);
  onProgress?.({ stage: "fitting", k });

  const fit = kmeans(matrix, {
    k,
    seed: options.seed,
    geometry,
    restarts,
    maxIterations,
    tolerance,
    ...(options.parallel ? { parallel: options.parallel } : {}),
    onProgress: (event) => {
      if (event.kind === "iteration")
        onProgress?.({
          stage: "iteration",
          restart: event.restart,
          iteration: event.iteration,
          inertia: event.inertia,
        });
    },
  });
  if (selection === null) {
    const sample = k >= 2 ? silhouetteSample(matrix, geometry, 1000, fmix32(options.seed ^ 0x51)) : null;
    selection = fixedKReport(k, fit.inertia, sample === null ? null : silhouette(sample, fit.assignments, k));
  }

  const before = countClusterFavourites(matrix, fit.assignments, k);
  const folded = foldSmallClusters(matrix, fit.assignments, before, minClusterSize);
  const after = countClusterFavourites(matrix, folded.assignments, folded.k);
  const memberships = softMemberships(matrix, {
    geometry,
    centroids: fit.centroids,
    k,
    clusterOf: folded.assignments,
    survivorOf: folded.survivorOf,
    width: membershipWidth,
    sharpness,
  });
  onProgress?.({ stage: "done", k: folded.k, inertia: fit.inertia });
  return {
    params: { k, seed: options.seed, geometry, favouriteThreshold, minClusterSize, restarts, maxIterations },
    kSelection: selection,
    inertia: fit.inertia,
    iterations: fit.iterations,
    stats: {
      ratingRows: table.length,
      badRows: options.badRows ?? 0,
      users: distinct(table.userIds, table.length),
      movies: distinct(table.movieIds, table.length),
      favourites: matrix.nnz,
    },
    userIds: matrix.rowIds,
    clusterOf: folded.assignments,
    clusters: toClusterCounts(matrix, after),
    global: globalCounts(matrix),
    membershipWidth: memberships.width,
    membershipClusters: memberships.clusters,
    membershipWeights: memberships.weights,
    movieRatings: movieRatings(table),
  };
}
