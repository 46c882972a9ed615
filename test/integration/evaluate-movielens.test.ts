import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEvaluationInput } from "../../scripts/evaluation-input.js";
import { buildFavouriteMatrix } from "../../shared/domain/clustering/sparse-matrix.js";
import { easeRecommender } from "../../shared/domain/evaluation/ease.js";
import {
  evaluateRecommender,
  makeFolds,
  mostPopularRecommender,
  type Recommender,
} from "../../shared/domain/evaluation/evaluation.js";
import { neighbourRecommender } from "../../shared/domain/evaluation/neighbour-recommender.js";
import {
  PRODUCTION_SETTINGS,
  settingsRecommender,
  trainWithSettings,
} from "../../shared/domain/evaluation/tuning.js";
import { itemNeighbours } from "../../shared/domain/ranking/item-neighbours.js";

const zip = path.resolve(import.meta.dirname, "../../../shared/datasets/ml-latest-small.zip");

describe.skipIf(!existsSync(zip))("evaluation on ml-latest-small (random protocol)", () => {
  it("reproduces the reference baselines under the reference exclusion (training favourites only)", async () => {
    const { table, catalogueSize } = await readEvaluationInput(zip);
    const folds = makeFolds(table, "random");
    const options = { catalogueSize: catalogueSize!, exclusion: "favourites" as const };
    const ndcg = (recommend: Recommender) => evaluateRecommender(folds.test, recommend, options).metrics.ndcg;
    // EVALUATION.md's independent implementations: MostPopular 0.1355, ItemKNN (cosine, 10) 0.2265.
    expect(ndcg(mostPopularRecommender(folds.test.train))).toBeCloseTo(0.1355, 4);
    const knn = itemNeighbours(buildFavouriteMatrix(folds.test.train), {
      perMovie: 10,
      similarity: { kind: "cosine" },
    });
    expect(ndcg(neighbourRecommender(knn, "candidates"))).toBeCloseTo(0.2265, 3);
  }, 300_000);

  it("every rated movie excluded: RP3beta and EASE as measured independently, cinecluster close to EASE", async () => {
    const { table, catalogueSize } = await readEvaluationInput(zip);
    const folds = makeFolds(table, "random");
    const options = { catalogueSize: catalogueSize! };
    const ndcg = (recommend: Recommender) => evaluateRecommender(folds.test, recommend, options).metrics.ndcg;
    const matrix = buildFavouriteMatrix(folds.test.train);
    // EVALUATION.md, like for like: RP3beta 0.2998, full EASE 0.3135 (ours over the top 1,000 movies: 0.3146).
    const rp3 = itemNeighbours(matrix, {
      perMovie: Number.MAX_SAFE_INTEGER,
      similarity: { kind: "rp3beta", alpha: 0.5, beta: 0.5 },
    });
    expect(ndcg(neighbourRecommender(rp3, "favourites"))).toBeCloseTo(0.2998, 3);
    const ease = ndcg(easeRecommender(folds.test.train, { lambda: 200, maxMovies: 1000 }));
    expect(ease).toBeGreaterThan(0.31);
    const model = trainWithSettings(folds.test.train, PRODUCTION_SETTINGS, 42);
    const metrics = evaluateRecommender(
      folds.test,
      settingsRecommender(model, PRODUCTION_SETTINGS, itemNeighbours(matrix)),
      options,
    ).metrics;
    // Measured 0.3113-0.3121 over training seeds 42-46, EASE 0.3146 (docs/evaluation.md): within 0.01.
    expect(metrics.users).toBe(603);
    expect(metrics.ndcg).toBeGreaterThan(0.305);
    expect(metrics.ndcg).toBeGreaterThan(ease - 0.01);
    // RP3beta unpruned, EASE's inverse and training: minutes on a loaded 2-core machine.
  }, 900_000);
});
