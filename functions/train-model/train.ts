/**
 * Step 2 of a training run: build the favourites matrix once, train the taste groups on it, and compute
 * the item neighbours from the same matrix (the version's stored favourites are that matrix too).
 */
import type { TrainedModel, TrainingProgress } from "../../shared/domain/clustering/model.js";
import {
  buildFavouriteMatrix,
  buildRatedMatrix,
  type SparseMatrix,
} from "../../shared/domain/clustering/sparse-matrix.js";
import { trainModel } from "../../shared/domain/clustering/train.js";
import type { RatingsTable } from "../../shared/domain/input/ratings.js";
import type { ParallelRunner } from "../../shared/domain/parallel.js";
import { type ItemNeighbours, itemNeighbours } from "../../shared/domain/ranking/item-neighbours.js";
import type { TrainingLog } from "./telemetry.js";

/** The clustering settings of a run (shared/config.ts TrainConfig). */
export interface ClusteringSettings {
  readonly k: number | "auto";
  readonly seed: number;
  readonly favouriteThreshold: number;
  readonly minClusterSize: number;
}

/** A trained model and what was derived from the same favourites. */
export interface TrainedRun {
  readonly model: TrainedModel;
  /** The favourites trained on, one row per user. */
  readonly favourites: SparseMatrix;
  /** Every rated movie, one row per user (stored as what each user has seen). */
  readonly rated: SparseMatrix;
  readonly neighbours: ItemNeighbours;
}

/** Trains from the merged ratings; `badRows` is recorded in the model's stats. */
export function trainFromInput(
  table: RatingsTable,
  settings: ClusteringSettings,
  context: {
    readonly badRows: number;
    readonly log: TrainingLog;
    readonly parallel?: ParallelRunner | undefined;
    readonly onProgress?: ((event: TrainingProgress) => void) | undefined;
  },
): TrainedRun {
  const favourites = buildFavouriteMatrix(table);
  const model = trainModel(
    table,
    {
      k: settings.k,
      seed: settings.seed,
      minClusterSize: settings.minClusterSize,
      favouriteThreshold: settings.favouriteThreshold,
      badRows: context.badRows,
      ...(context.onProgress ? { onProgress: context.onProgress } : {}),
      ...(context.parallel ? { parallel: context.parallel } : {}),
    },
    favourites,
  );
  const neighbours = itemNeighbours(favourites, undefined, context.parallel);
  context.log.info("model trained", {
    k: model.kSelection.chosenK,
    rule: model.kSelection.rule,
    confidence: model.kSelection.confidence,
    clusters: model.clusters.length,
    inertia: model.inertia,
    iterations: model.iterations,
    users: model.stats.users,
    favourites: model.stats.favourites,
  });
  return { model, favourites, rated: buildRatedMatrix(table), neighbours };
}
