/**
 * Choosing the cluster method's settings (k, geometry, soft-membership width and sharpness, neighbour
 * blend) by NDCG on the
 * VALIDATION fold only: train with the real trainModel on validation-train, rank with the production ranking,
 * keep the best mean over the tuning seeds. The test fold is never looked at here.
 */

import type { Geometry, TrainedModel } from "../clustering/model.js";
import { buildFavouriteMatrix } from "../clustering/sparse-matrix.js";
import { trainModel } from "../clustering/train.js";
import type { RatingsTable } from "../input/ratings.js";
import { type ItemNeighbours, itemNeighbours } from "../ranking/item-neighbours.js";
import { SERVING_DEFAULTS, TRAINING_DEFAULTS } from "../settings.js";
import {
  clusterRecommender,
  type EvaluationFold,
  type Exclusion,
  evaluateRecommender,
  type Recommender,
} from "./evaluation.js";

/** The settings of the cluster method that tuning chooses among: training options, and the ranking's blend. */
export interface MethodSettings {
  readonly k: number | "auto";
  readonly geometry: Geometry;
  readonly membershipWidth: number;
  readonly membershipSharpness: number;
  /** Weight of the item-neighbour part in rankMovies; 0 ranks by the taste groups alone. */
  readonly neighbourWeight: number;
}

/** The candidate values tried, every combination of them. */
export interface TuningGrid {
  readonly k: readonly (number | "auto")[];
  readonly geometry: readonly Geometry[];
  readonly membershipWidth: readonly number[];
  readonly membershipSharpness: readonly number[];
  readonly neighbourWeight: readonly number[];
}

/** One tried combination and its validation NDCG (mean over the tuning seeds, with the range). */
export interface TuningTrial {
  readonly settings: MethodSettings;
  readonly ndcg: number;
  readonly min: number;
  readonly max: number;
}

/**
 * What production trains and serves, as the cluster method's settings, built from shared/domain/settings.ts:
 * `npm run evaluate` with no options measures exactly production (k chosen by the WCSS knee, cosine, 3 soft
 * memberships at sharpness 8, restarts and folding as trainModel defaults them, neighbour weight 32, each
 * cluster's top candidatePool counts). Validation on ml-latest-small chose k = 10; production keeps "auto"
 * (test NDCG@10 0.2182 against 0.2197, within the seed spread; docs/evaluation.md).
 */
export const PRODUCTION_SETTINGS: MethodSettings = {
  k: TRAINING_DEFAULTS.k,
  geometry: TRAINING_DEFAULTS.geometry,
  membershipWidth: TRAINING_DEFAULTS.membershipWidth,
  membershipSharpness: TRAINING_DEFAULTS.membershipSharpness,
  neighbourWeight: SERVING_DEFAULTS.neighbourWeight,
};

/** The grid `npm run evaluate -- --tune` searches. */
export const DEFAULT_TUNING_GRID: TuningGrid = {
  k: ["auto", 10, 20, 30],
  geometry: ["cosine", "euclidean"],
  membershipWidth: [1, 3, 5],
  membershipSharpness: [1, 8],
  neighbourWeight: [0, 1, 8],
};

/** Trains the cluster method with the given settings and seed through the one training entry point. */
export function trainWithSettings(train: RatingsTable, settings: MethodSettings, seed: number): TrainedModel {
  return trainModel(train, {
    k: settings.k,
    seed,
    geometry: settings.geometry,
    membershipWidth: settings.membershipWidth,
    membershipSharpness: settings.membershipSharpness,
  });
}

/**
 * The production ranking over a model, with the settings' neighbour blend (neighbours from the same train
 * data), reading each cluster's top SERVING_DEFAULTS.candidatePool counts as serving does.
 */
export function settingsRecommender(
  model: TrainedModel,
  settings: Pick<MethodSettings, "membershipWidth" | "neighbourWeight">,
  neighbours: ItemNeighbours | undefined,
): Recommender {
  return clusterRecommender(model, {
    membershipWidth: settings.membershipWidth,
    neighbourWeight: settings.neighbourWeight,
    topCounts: SERVING_DEFAULTS.candidatePool,
    ...(neighbours ? { neighbours } : {}),
  });
}

/**
 * Scores every grid combination on the validation fold and returns the trials, best first (ties keep grid
 * order). One model per (k, geometry, sharpness, seed) is trained at the largest width; smaller widths rank
 * with its first slots, which orders movies exactly as a model trained at that width would (the weights
 * differ only by a common factor). Item neighbours come from validation-train, like the model.
 */
export function tuneOnValidation(
  validation: EvaluationFold,
  grid: TuningGrid,
  options: {
    readonly seeds: readonly number[];
    readonly catalogueSize: number;
    /** Default: every movie the user rated in train (evaluateRecommender's default). */
    readonly exclusion?: Exclusion;
    readonly onTrial?: (trial: TuningTrial) => void;
  },
): TuningTrial[] {
  const maxWidth = Math.max(...grid.membershipWidth);
  const neighbours = grid.neighbourWeight.some((w) => w > 0)
    ? itemNeighbours(buildFavouriteMatrix(validation.train))
    : undefined;
  const trials: TuningTrial[] = [];
  for (const geometry of grid.geometry) {
    for (const k of grid.k) {
      // "auto" chooses k from the seed alone: choose once per seed, then train the other sharpnesses at that k.
      const chosenK = new Map<number, number>();
      grid.membershipSharpness.forEach((membershipSharpness, sharpnessIndex) => {
        // At width 1 the sharpness changes nothing: score it once.
        const variants = grid.membershipWidth
          .filter((width) => width > 1 || sharpnessIndex === 0)
          .flatMap((membershipWidth) =>
            grid.neighbourWeight.map((neighbourWeight) => ({
              membershipWidth,
              neighbourWeight,
              scores: [] as number[],
            })),
          );
        for (const seed of options.seeds) {
          const model = trainWithSettings(
            validation.train,
            {
              k: chosenK.get(seed) ?? k,
              geometry,
              membershipWidth: maxWidth,
              membershipSharpness,
              neighbourWeight: 0,
            },
            seed,
          );
          chosenK.set(seed, model.kSelection.chosenK);
          for (const variant of variants) {
            const recommend = settingsRecommender(model, variant, neighbours);
            variant.scores.push(evaluateRecommender(validation, recommend, options).metrics.ndcg);
          }
        }
        for (const { membershipWidth, neighbourWeight, scores } of variants) {
          const trial: TuningTrial = {
            settings: { k, geometry, membershipWidth, membershipSharpness, neighbourWeight },
            ndcg: scores.reduce((sum, x) => sum + x, 0) / scores.length,
            min: Math.min(...scores),
            max: Math.max(...scores),
          };
          trials.push(trial);
          options.onTrial?.(trial);
        }
      });
    }
  }
  return trials
    .map((trial, order) => ({ trial, order }))
    .sort((a, b) => b.trial.ndcg - a.trial.ndcg || a.order - b.order)
    .map((t) => t.trial);
}
