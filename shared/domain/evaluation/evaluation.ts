/**
 * Offline evaluation of a recommender by ../shared/EVALUATION.md: every evaluated user gets a top-N list from
 * what the recommender learnt on train, scored against the user's held-out favourites. Recommenders are
 * plain functions, so the cluster method (the production ranking) and baselines run through the same loop.
 */

import type { TrainedModel } from "../clustering/model.js";
import { createRandom } from "../clustering/random.js";
import type { RatingsTable } from "../input/ratings.js";
import { rankMovies } from "../ranking/ranking.js";
import { createModelRanker, type ModelRankerOptions } from "../ranking/ranking-input.js";
import { createMetricsAccumulator, type TopNMetrics } from "./metrics.js";
import { favouritesByUser, type SplitProtocol, selectRows, splitRatings } from "./split.js";

/** What a recommender knows of one evaluated user from train. */
export interface UserHistory {
  /** The user's training favourites: what item-based methods score from. */
  readonly favourites: ReadonlySet<number>;
  /** Movies the list must never hold (see {@link Exclusion}); always includes `favourites`. */
  readonly exclude: ReadonlySet<number>;
}

/** Gives one user's top-`limit` movieIds, best first, never one of `history.exclude`. */
export type Recommender = (userId: number, history: UserHistory, limit: number) => number[];

/**
 * Which movies a user's list may not hold: `rated`, every movie the user rated in train at any value (what the
 * product does, the default); `favourites`, only the training favourites (the reference protocol of
 * EVALUATION.md, for setting numbers beside its table).
 */
export type Exclusion = "rated" | "favourites";

/** The default exclusion: every movie the user rated in train. */
export const DEFAULT_EXCLUSION: Exclusion = "rated";

/** What a recommender learns from and is scored on. */
export interface EvaluationFold {
  /** Rows the recommender may learn from (any rating value). */
  readonly train: RatingsTable;
  /** Each evaluated user's held-out favourites; every set has at least one movie. */
  readonly heldOut: ReadonlyMap<number, ReadonlySet<number>>;
}

/** The test fold (train vs test) and the validation fold carved from its train part. */
export interface EvaluationFolds {
  readonly test: EvaluationFold;
  readonly validation: EvaluationFold;
}

/** A recommender's metrics, and the list it gave each evaluated user (userId ascending). */
export interface EvaluationResult {
  readonly metrics: TopNMetrics;
  readonly lists: ReadonlyMap<number, readonly number[]>;
}

/** Default seed of EVALUATION.md's test split; the validation split carved from train uses this + 1 (43). */
const TEST_SPLIT_SEED = 42;

function foldOf(table: RatingsTable, protocol: SplitProtocol, seed: number): EvaluationFold {
  const split = splitRatings(table, { protocol, seed });
  return {
    train: selectRows(table, split.isTest, 0),
    heldOut: favouritesByUser(selectRows(table, split.isTest, 1)),
  };
}

/**
 * Splits all ratings into the test fold (seed `seed`, default 42) and, from its train part, the validation
 * fold (seed `seed + 1`, default 43); the temporal protocol ignores seeds.
 */
export function makeFolds(
  table: RatingsTable,
  protocol: SplitProtocol,
  seed = TEST_SPLIT_SEED,
): EvaluationFolds {
  const test = foldOf(table, protocol, seed);
  return { test, validation: foldOf(test.train, protocol, seed + 1) };
}

/** Each user's movies rated in a table (any value), as sets keyed by userId. */
export function ratedByUser(table: RatingsTable): Map<number, Set<number>> {
  const byUser = new Map<number, Set<number>>();
  for (let row = 0; row < table.length; row++) {
    const user = table.userIds[row]!;
    let set = byUser.get(user);
    if (!set) {
      set = new Set();
      byUser.set(user, set);
    }
    set.add(table.movieIds[row]!);
  }
  return byUser;
}

/** Options of {@link evaluateRecommender}. */
export interface EvaluateOptions {
  readonly catalogueSize: number;
  /** Cut-off, default 10. */
  readonly at?: number;
  /** Default {@link DEFAULT_EXCLUSION} (every movie rated in train). */
  readonly exclusion?: Exclusion;
}

/**
 * Scores a recommender on a fold at cut-off `at` (default 10): one list per evaluated user, in userId order.
 * A recommended movie the exclusion forbids is dropped before scoring (it counts as a miss), so a recommender
 * that ignores the exclusion cannot gain from it.
 */
export function evaluateRecommender(
  fold: EvaluationFold,
  recommend: Recommender,
  options: EvaluateOptions,
): EvaluationResult {
  const at = options.at ?? 10;
  const accumulator = createMetricsAccumulator({ catalogueSize: options.catalogueSize, at });
  const trainFavourites = favouritesByUser(fold.train);
  const rated = (options.exclusion ?? DEFAULT_EXCLUSION) === "rated" ? ratedByUser(fold.train) : undefined;
  const none: ReadonlySet<number> = new Set();
  const lists = new Map<number, number[]>();
  for (const userId of [...fold.heldOut.keys()].sort((a, b) => a - b)) {
    const favourites = trainFavourites.get(userId) ?? none;
    const exclude = rated ? (rated.get(userId) ?? none) : favourites;
    const list = recommend(userId, { favourites, exclude }, at)
      .filter((movieId) => !exclude.has(movieId))
      .slice(0, at);
    accumulator.add(list, fold.heldOut.get(userId)!);
    lists.set(userId, list);
  }
  return { metrics: accumulator.result(), lists };
}

/** Each favourited movie's favourite count in `train`, most favourited first (ties: smaller movieId). */
export function favouriteCountsByPopularity(train: RatingsTable): [movieId: number, count: number][] {
  const counts = new Map<number, number>();
  for (let row = 0; row < train.length; row++) {
    if (train.favourite[row] === 1)
      counts.set(train.movieIds[row]!, (counts.get(train.movieIds[row]!) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/**
 * The MostPopular baseline: movies by number of training favourites, ties to the smaller movieId, minus the
 * user's excluded movies.
 */
export function mostPopularRecommender(train: RatingsTable): Recommender {
  const order = favouriteCountsByPopularity(train).map(([movieId]) => movieId);
  return (_userId, { exclude }, limit) => {
    const list: number[] = [];
    for (const movieId of order) {
      if (list.length === limit) break;
      if (!exclude.has(movieId)) list.push(movieId);
    }
    return list;
  };
}

/**
 * The Random baseline (the floor): uniformly shuffled candidates (movies with a training favourite, minus the
 * user's excluded movies), seeded per user so a run is reproducible.
 */
export function randomRecommender(train: RatingsTable, seed: number): Recommender {
  const candidates = [...new Set(train.movieIds.filter((_, row) => train.favourite[row] === 1))].sort(
    (a, b) => a - b,
  );
  return (userId, { exclude }, limit) => {
    const random = createRandom(seed ^ Math.imul(userId, 0x9e3779b1));
    const pool = candidates.filter((movieId) => !exclude.has(movieId));
    const list: number[] = [];
    for (let i = 0; i < Math.min(limit, pool.length); i++) {
      const pick = i + random.int(pool.length - i);
      [pool[i], pool[pick]] = [pool[pick]!, pool[i]!];
      list.push(pool[i]!);
    }
    return list;
  };
}

/**
 * The cluster method exactly as served: each user's RankingInput from the model's soft membership
 * (createModelRanker) ranked by the production rankMovies, with the user's excluded movies left out.
 */
export function clusterRecommender(model: TrainedModel, options: ModelRankerOptions = {}): Recommender {
  const ranker = createModelRanker(model, options);
  return (userId, { favourites, exclude }, limit) => {
    const input = ranker.inputFor(userId, { favourites, exclude, limit });
    return input ? rankMovies(input).map((movie) => movie.movieId) : [];
  };
}

/** Distinct movies of a ratings table: the catalogue size when no movies file is given. */
export function distinctMovies(table: RatingsTable): number {
  return new Set(table.movieIds).size;
}
