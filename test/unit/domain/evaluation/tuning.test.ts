import { describe, expect, it } from "vitest";
import {
  clusterRecommender,
  evaluateRecommender,
  makeFolds,
} from "../../../../shared/domain/evaluation/evaluation.js";
import { generateDataset } from "../../../../shared/domain/evaluation/synthetic-dataset.js";
import { trainWithSettings, tuneOnValidation } from "../../../../shared/domain/evaluation/tuning.js";
import { parseRatings } from "../../../../shared/domain/input/ratings-parser.js";

const { table } = parseRatings(
  generateDataset({ users: 200, movies: 300, ratings: 8_000, seed: 5, groups: 4 }).ratingsCsv,
);
const folds = makeFolds(table, "random");

describe("tuneOnValidation", () => {
  it("scores every combination once (width 1 once per k), best first", () => {
    const trials = tuneOnValidation(
      folds.validation,
      {
        k: [2, 4],
        geometry: ["cosine"],
        membershipWidth: [1, 2],
        membershipSharpness: [1, 8],
        neighbourWeight: [0],
      },
      { seeds: [1], catalogueSize: 300 },
    );
    // Per k: width 1 once, width 2 at both sharpnesses.
    expect(trials).toHaveLength(6);
    const ndcgs = trials.map((t) => t.ndcg);
    expect(ndcgs).toEqual([...ndcgs].sort((a, b) => b - a));
    expect(
      trials.filter((t) => t.settings.membershipWidth === 1).map((t) => t.settings.membershipSharpness),
    ).toEqual([1, 1]);
    for (const t of trials) expect(t.min === t.ndcg && t.max === t.ndcg).toBe(true);
  });

  it("ranks a narrower width from a wider model exactly as a model trained at that width", () => {
    const wide = trainWithSettings(
      folds.validation.train,
      { k: 4, geometry: "cosine", membershipWidth: 4, membershipSharpness: 8, neighbourWeight: 0 },
      1,
    );
    const narrow = trainWithSettings(
      folds.validation.train,
      { k: 4, geometry: "cosine", membershipWidth: 2, membershipSharpness: 8, neighbourWeight: 0 },
      1,
    );
    const fromWide = evaluateRecommender(folds.validation, clusterRecommender(wide, { membershipWidth: 2 }), {
      catalogueSize: 300,
    });
    const trained = evaluateRecommender(folds.validation, clusterRecommender(narrow), { catalogueSize: 300 });
    expect(fromWide.lists).toEqual(trained.lists);
    expect(fromWide.metrics.ndcg).toBe(trained.metrics.ndcg);
  });
});
