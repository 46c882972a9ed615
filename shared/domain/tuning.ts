/**
 * Choosing the cluster method's settings (k, geometry, soft-membership width and sharpness) by NDCG on the
 * VALIDATION fold only: train with the real trainModel on validation-train, rank with the production ranking,
 * keep the best mean over the tuning seeds. The test fold is never looked at here.
 */
import { clusterRecommender, evaluateRecommender, type EvaluationFold } from "./evaluation.js";
import type { Geometry, TrainedModel, TrainOptions } from "./model.js";
import type { RatingsTable } from "./ratings.js";
import { trainModel } from "./train.js";

/** The settings of the cluster method that tuning chooses among (all are training options). */
export interface MethodSettings {
  readonly k: number | "auto";
  readonly geometry: Geometry;
  readonly membershipWidth: number;
  readonly membershipSharpness: number;
}

/** The candidate values tried, every combination of them. */
export interface TuningGrid {
  readonly k: readonly (number | "auto")[];
  readonly geometry: readonly Geometry[];
  readonly membershipWidth: readonly number[];
  readonly membershipSharpness: readonly number[];
}

/** One tried combination and its validation NDCG (mean over the tuning seeds, with the range). */
export interface TuningTrial {
  readonly settings: MethodSettings;
  readonly ndcg: number;
  readonly min: number;
  readonly max: number;
}

/** Settings measured best on ml-latest-small's validation folds (README, "Evaluation"): production defaults. */
export const RECOMMENDED_SETTINGS: MethodSettings = {
  k: 20,
  geometry: "cosine",
  membershipWidth: 3,
  membershipSharpness: 8,
};

/** The grid `npm run evaluate -- --tune` searches. */
export const DEFAULT_TUNING_GRID: TuningGrid = {
  k: ["auto", 10, 15, 20, 25, 30, 40],
  geometry: ["cosine", "euclidean"],
  membershipWidth: [1, 2, 3, 5],
  membershipSharpness: [1, 4, 8, 16],
};

/** Trains the cluster method with the given settings and seed through the one training entry point. */
export function trainWithSettings(
  train: RatingsTable,
  settings: MethodSettings,
  seed: number,
  extra: Omit<TrainOptions, "k" | "geometry" | "membershipWidth" | "membershipSharpness" | "seed"> = {},
): TrainedModel {
  return trainModel(train, {
    ...extra,
    k: settings.k,
    seed,
    geometry: settings.geometry,
    membershipWidth: settings.membershipWidth,
    membershipSharpness: settings.membershipSharpness,
  });
}

/**
 * Scores every grid combination on the validation fold and returns the trials, best first (ties keep grid
 * order). One model per (k, geometry, sharpness, seed) is trained at the largest width; smaller widths rank
 * with its first slots, which orders movies exactly as a model trained at that width would (the weights
 * differ only by a common factor).
 */
export function tuneOnValidation(
  validation: EvaluationFold,
  grid: TuningGrid,
  options: {
    readonly seeds: readonly number[];
    readonly catalogueSize: number;
    readonly onTrial?: (trial: TuningTrial) => void;
  },
): TuningTrial[] {
  const maxWidth = Math.max(...grid.membershipWidth);
  const trials: TuningTrial[] = [];
  for (const geometry of grid.geometry) {
    for (const k of grid.k) {
      grid.membershipSharpness.forEach((membershipSharpness, sharpnessIndex) => {
        // At width 1 the sharpness changes nothing: score it once.
        const widths = grid.membershipWidth.filter((width) => width > 1 || sharpnessIndex === 0);
        const scores = widths.map(() => [] as number[]);
        for (const seed of options.seeds) {
          const model = trainWithSettings(
            validation.train,
            { k, geometry, membershipWidth: maxWidth, membershipSharpness },
            seed,
          );
          widths.forEach((membershipWidth, w) => {
            const recommend = clusterRecommender(model, { membershipWidth });
            scores[w]!.push(evaluateRecommender(validation, recommend, options).metrics.ndcg);
          });
        }
        widths.forEach((membershipWidth, w) => {
          const values = scores[w]!;
          const trial: TuningTrial = {
            settings: { k, geometry, membershipWidth, membershipSharpness },
            ndcg: values.reduce((sum, x) => sum + x, 0) / values.length,
            min: Math.min(...values),
            max: Math.max(...values),
          };
          trials.push(trial);
          options.onTrial?.(trial);
        });
      });
    }
  }
  return trials
    .map((trial, order) => ({ trial, order }))
    .sort((a, b) => b.trial.ndcg - a.trial.ndcg || a.order - b.order)
    .map((t) => t.trial);
}
