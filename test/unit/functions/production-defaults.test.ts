import { describe, expect, it } from "vitest";
import { trainSettings } from "../../../functions/train-model/deps.js";
import { trainFromInput } from "../../../functions/train-model/train.js";
import { loadApiConfig, loadTrainConfig } from "../../../shared/config.js";
import { buildFavouriteMatrix } from "../../../shared/domain/clustering/sparse-matrix.js";
import {
  clusterRecommender,
  evaluateRecommender,
  makeFolds,
} from "../../../shared/domain/evaluation/evaluation.js";
import { generateDataset } from "../../../shared/domain/evaluation/synthetic-dataset.js";
import {
  PRODUCTION_SETTINGS,
  settingsRecommender,
  trainWithSettings,
} from "../../../shared/domain/evaluation/tuning.js";
import { parseRatings } from "../../../shared/domain/input/ratings-parser.js";
import { itemNeighbours } from "../../../shared/domain/ranking/item-neighbours.js";

/** The environment a deployed function gets when no tunable is overridden (infra sets only names and keys). */
const BARE_ENV = {
  CINECLUSTER_TABLE: "t",
  CINECLUSTER_BUCKET: "b",
  CINECLUSTER_RATINGS_KEY: "input/ratings.csv",
  CINECLUSTER_MOVIES_KEY: "input/movies.csv",
};
const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe("npm run evaluate's defaults are production's", () => {
  const dataset = generateDataset({ users: 240, movies: 300, ratings: 9_000, seed: 5 });

  it("train the same model and neighbours as the training function with an unset config", () => {
    const config = loadTrainConfig(BARE_ENV);
    // The training function parses with the configured threshold; evaluate with the parser's default.
    const production = trainFromInput(
      parseRatings(dataset.ratingsCsv, { favouriteThreshold: config.favouriteThreshold }).table,
      trainSettings(config),
      { badRows: 0, log: silent },
    );
    const table = parseRatings(dataset.ratingsCsv).table;
    const evaluated = trainWithSettings(table, PRODUCTION_SETTINGS, config.seed);
    expect(evaluated).toEqual(production.model);
    expect(evaluated.kSelection.rule).toBe("knee");
    expect(itemNeighbours(buildFavouriteMatrix(table))).toEqual(production.neighbours);
  });

  it("rank as serving does: the configured neighbour weight over each cluster's candidate pool", () => {
    const api = loadApiConfig(BARE_ENV);
    expect(PRODUCTION_SETTINGS.neighbourWeight).toBe(api.neighbourWeight);
    const folds = makeFolds(parseRatings(dataset.ratingsCsv).table, "random");
    const model = trainWithSettings(folds.test.train, PRODUCTION_SETTINGS, 42);
    const neighbours = itemNeighbours(buildFavouriteMatrix(folds.test.train));
    // Serving's ranking, spelled out from the API config: the model's memberships, each cluster's top
    // candidatePool counts, the stored neighbours blended at the configured weight.
    const served = clusterRecommender(model, {
      membershipWidth: model.membershipWidth,
      topCounts: api.candidatePool,
      neighbours,
      neighbourWeight: api.neighbourWeight,
    });
    const options = { catalogueSize: 300 };
    const evaluated = evaluateRecommender(
      folds.test,
      settingsRecommender(model, PRODUCTION_SETTINGS, neighbours),
      options,
    );
    expect(folds.test.heldOut.size).toBeGreaterThan(20);
    expect(evaluated.lists).toEqual(evaluateRecommender(folds.test, served, options).lists);
  });
});
