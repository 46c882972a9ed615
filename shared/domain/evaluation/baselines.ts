/**
 * The baselines `npm run evaluate` prints beside cinecluster, at the settings chosen on validation, all from the
 * same split, exclusion and metric code: Random, MostPopular, ItemKNN (cosine, 10 neighbours per candidate, as
 * the reference), RP3beta (no pruning) and EASE restricted to the most favourited movies.
 */

import { buildFavouriteMatrix } from "../clustering/sparse-matrix.js";
import type { RatingsTable } from "../input/ratings.js";
import { itemNeighbours } from "../ranking/item-neighbours.js";
import { easeRecommender } from "./ease.js";
import { mostPopularRecommender, type Recommender, randomRecommender } from "./evaluation.js";
import { neighbourRecommender } from "./neighbour-recommender.js";
import type { SplitProtocol } from "./split.js";

/** Settings of the baselines, per protocol (see docs/evaluation.md for where each comes from). */
export interface BaselineSettings {
  /** EASE's lambda: 200 random, 100 temporal (EVALUATION.md, chosen on validation). */
  readonly easeLambda: number;
  /** EASE keeps the movies with the most favourites: a dense movies^2 inverse. */
  readonly easeMovies: number;
  readonly rp3Alpha: number;
  readonly rp3Beta: number;
}

/** Default baseline settings for a protocol. */
export function defaultBaselineSettings(protocol: SplitProtocol): BaselineSettings {
  return protocol === "random"
    ? { easeLambda: 200, easeMovies: 1_000, rp3Alpha: 0.5, rp3Beta: 0.5 }
    : { easeLambda: 100, easeMovies: 1_000, rp3Alpha: 0.5, rp3Beta: 0.5 };
}

/** One baseline: its printed name and its recommender trained on `train`. */
export interface Baseline {
  readonly name: string;
  readonly build: (train: RatingsTable) => Recommender;
}

/** The baselines in printing order, strongest expected first. */
export function baselines(settings: BaselineSettings, seed: number): Baseline[] {
  return [
    {
      name: `EASE top-${settings.easeMovies}`,
      build: (train) =>
        easeRecommender(train, { lambda: settings.easeLambda, maxMovies: settings.easeMovies }),
    },
    {
      name: "RP3beta",
      build: (train) =>
        neighbourRecommender(
          itemNeighbours(buildFavouriteMatrix(train), {
            // No pruning: every co-favourited movie is kept.
            perMovie: Number.MAX_SAFE_INTEGER,
            similarity: { kind: "rp3beta", alpha: settings.rp3Alpha, beta: settings.rp3Beta },
          }),
          "favourites",
        ),
    },
    {
      name: "ItemKNN",
      build: (train) =>
        neighbourRecommender(
          itemNeighbours(buildFavouriteMatrix(train), { perMovie: 10, similarity: { kind: "cosine" } }),
          "candidates",
        ),
    },
    { name: "MostPopular", build: (train) => mostPopularRecommender(train) },
    { name: "Random", build: (train) => randomRecommender(train, seed) },
  ];
}
