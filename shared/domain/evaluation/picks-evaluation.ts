/**
 * Recommendations from a few picks (POST /recommendations), measured offline: for every test user with at
 * least `picks` training favourites, `picks` of them drawn at random (seeded per user) stand for what a new
 * person would pick; each method ranks a top-N from the picks alone (never a pick), scored against the
 * user's held-out favourites as evaluation.ts scores (NDCG@10). Methods are compared per user: the paired
 * difference's mean and its 95% interval (normal approximation, 1.96 x sd / sqrt(users)).
 */

import { genreCounts } from "../catalogue/catalogue.js";
import { clusterCentroids } from "../clustering/cluster-centroids.js";
import { coveringCluster } from "../clustering/clusters.js";
import type { TrainedModel } from "../clustering/model.js";
import { createRandom } from "../clustering/random.js";
import { buildFavouriteMatrix } from "../clustering/sparse-matrix.js";
import type { RatingsTable } from "../input/ratings.js";
import { genreWeights } from "../ranking/genre-match.js";
import { favouritesOf, type ItemNeighbours, neighbourListsOf } from "../ranking/item-neighbours.js";
import { rankPicks } from "../ranking/picks.js";
import { type PlacedMembership, placeByCloseness } from "../ranking/placement.js";
import { toClusterView } from "../ranking/ranking-input.js";
import type { StoredNeighbours } from "../ranking/similar.js";
import { type EvaluationFold, favouriteCountsByPopularity } from "./evaluation.js";
import { scoreList } from "./metrics.js";
import { favouritesByUser } from "./split.js";

/** Ranks a top-`limit` from picks alone; never returns a pick. */
export type PicksRecommender = (picks: readonly number[], limit: number) => number[];

/** `n` of a user's training favourites, drawn without replacement (seeded per user), ascending. */
export function drawPicks(
  favourites: ReadonlySet<number>,
  n: number,
  seed: number,
  userId: number,
): number[] {
  const pool = [...favourites].sort((a, b) => a - b);
  const random = createRandom(seed ^ Math.imul(userId, 0x85ebca6b));
  for (let i = 0; i < Math.min(n, pool.length); i++) {
    const j = i + random.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n).sort((a, b) => a - b);
}

/** How a picks ranking blends, as serving does (rankPicks): the groups, everyone, the neighbours, the genres. */
export interface PicksRankingOptions {
  /** Top-N counts per cluster (and of everyone), as serving reads them. */
  readonly topCounts: number;
  readonly neighbours?: ItemNeighbours;
  readonly neighbourWeight: number;
  /** `mean` (served) divides the neighbour part by the number of picks; `max` by its maximum. */
  readonly neighbourScale: "max" | "mean";
  /** Weight of everyone's counts beside the placed groups (0: left out). */
  readonly everyoneWeight: number;
  /** Weight of the genre match (0: left out; needs `movies`). */
  readonly genreWeight: number;
  /** The movies file, for the genres (serving's catalogue is the same file); no genres when absent. */
  readonly movies?: readonly { readonly movieId: number; readonly genres: readonly string[] }[];
}

/**
 * Ranks picks as POST /recommendations does, with rankPicks: the same placement's memberships, the model's
 * cluster counts (top `topCounts`), everyone's counts from the training part, the picks' stored neighbours
 * and the genre weights of the movies file.
 */
function ranker(model: TrainedModel, train: RatingsTable, options: PicksRankingOptions) {
  const groups = new Map(
    model.clusters.map((c) => [c.clusterId, toClusterView(c, 1, options.topCounts).counts] as const),
  );
  // Everyone's top movies by favourites in the training part (serving's global counts).
  const everyone =
    options.everyoneWeight > 0
      ? new Map(favouriteCountsByPopularity(train).slice(0, options.topCounts))
      : new Map<number, number>();
  const sizes: number[] = [];
  for (const c of model.clusters) sizes[c.clusterId] = c.size;
  const movies = options.movies ?? [];
  const genresOf = new Map(movies.map((m) => [m.movieId, m.genres]));
  const weights = genreWeights(genreCounts(movies), movies.length);
  const index = options.neighbours;
  const lookup = (movieId: number) => ({
    title: "",
    favouriteCount: index ? favouritesOf(index, movieId) : 0,
    genres: genresOf.get(movieId) ?? [],
  });
  return (memberships: readonly PlacedMembership[], picks: readonly number[], limit: number): number[] => {
    const neighbours = new Map<number, StoredNeighbours>();
    if (index) {
      for (const [pick, list] of neighbourListsOf(index, picks)) {
        neighbours.set(pick, {
          movieIds: list.movieIds,
          similarities: list.weights,
          together: list.together,
        });
      }
    }
    const inputs = {
      version: "evaluation",
      geometry: model.params.geometry,
      sizes,
      norms2: [],
      coords: new Map(),
      neighbours,
    };
    return rankPicks(inputs, memberships, { groups, everyone }, lookup, weights, {
      movieIds: picks,
      limit,
      offset: 0,
      neighbourWeight: index ? options.neighbourWeight : 0,
      neighbourScale: options.neighbourScale,
      everyoneWeight: options.everyoneWeight,
      genreWeight: options.genreWeight,
    }).map((movie) => movie.movieId);
  };
}

/**
 * The served method: picks placed on the clusters by closeness to the trained centroids (soft membership,
 * `width` nearest, weights (d_min^2/d^2)^sharpness), then ranked by rankPicks.
 */
export function closenessPicksRecommender(
  model: TrainedModel,
  train: RatingsTable,
  options: PicksRankingOptions & { readonly width: number; readonly sharpness: number },
): PicksRecommender {
  const matrix = buildFavouriteMatrix(train);
  const k = model.clusters.length;
  const rowCluster = Int32Array.from(matrix.rowIds, (userId, row) =>
    model.userIds[row] === userId ? model.clusterOf[row]! : -1,
  );
  const centroids = clusterCentroids(matrix, rowCluster, k, model.params.geometry);
  const column = new Map<number, number>();
  matrix.colIds.forEach((movieId, col) => {
    column.set(movieId, col);
  });
  const space = {
    geometry: model.params.geometry,
    norms2: centroids.norms2,
    sizes: model.clusters.map((c) => c.size),
    coordsOf: (movieId: number) => {
      const col = column.get(movieId);
      return col === undefined ? undefined : centroids.coords.subarray(col * k, (col + 1) * k);
    },
  };
  const rank = ranker(model, train, options);
  return (picks, limit) =>
    rank(
      placeByCloseness(picks, space, { width: options.width, sharpness: options.sharpness }),
      picks,
      limit,
    );
}

/**
 * How a new person's first favourites were ranked when the picks route was asked for (the issue's "current
 * covering-cluster rule"): the one cluster covering most of them (coveringCluster), and their neighbours
 * scaled by their maximum over the candidates at the users' weight of the time, 8, without everyone's
 * counts or the genres. Use with coveringPicksRecommender and the same neighbours, so only the rule differs.
 */
export const PREVIOUS_PICKS_RULE = {
  neighbourScale: "max",
  neighbourWeight: 8,
  everyoneWeight: 0,
  genreWeight: 0,
} as const;

/** The rule recording favourites used before: the one cluster covering most picks (coveringCluster). */
export function coveringPicksRecommender(
  model: TrainedModel,
  train: RatingsTable,
  options: PicksRankingOptions,
): PicksRecommender {
  const tastes = model.clusters.map((c) => {
    const counts = new Map<number, number>();
    for (let i = 0; i < c.movieIds.length; i++) counts.set(c.movieIds[i]!, c.counts[i]!);
    return { clusterId: c.clusterId, size: c.size, counts };
  });
  const rank = ranker(model, train, options);
  return (picks, limit) => {
    const placement = coveringCluster(picks, tastes);
    return placement ? rank([{ clusterId: placement.clusterId, weight: 1 }], picks, limit) : [];
  };
}

/** One method's NDCG over the users scored, and each user's score (userId ascending). */
export interface PicksMethodResult {
  readonly name: string;
  readonly ndcg: number;
  readonly ndcgCi95: number;
  readonly perUser: Float64Array;
}

/** A paired comparison: mean per-user NDCG difference (a - b) and its 95% half-width. */
export interface PairedDifference {
  readonly a: string;
  readonly b: string;
  readonly meanDifference: number;
  readonly ci95: number;
}

function meanAndCi(values: Float64Array): { mean: number; ci95: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, ci95: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  return { mean, ci95: (1.96 * sd) / Math.sqrt(n) };
}

/** One seeded run: the picks are drawn with `seed`, and `methods` (trained with it) rank from them. */
export interface PicksRun {
  readonly seed: number;
  readonly methods: readonly { readonly name: string; readonly recommend: PicksRecommender }[];
}

/**
 * Scores every method on the same users and picks. With several runs (training and draw seeds), a user's
 * score is the mean over the runs, so the intervals are over users and the seeds only lower the noise of
 * the draw and of the training; every run must name the same methods. `pairs` lists the comparisons.
 */
export function evaluatePicks(
  fold: EvaluationFold,
  runs: readonly PicksRun[],
  options: { readonly picks: number; readonly at?: number },
): { users: number; results: PicksMethodResult[]; paired(a: string, b: string): PairedDifference } {
  const at = options.at ?? 10;
  const trainFavourites = favouritesByUser(fold.train);
  const users = [...fold.heldOut.keys()]
    .sort((a, b) => a - b)
    .filter((userId) => (trainFavourites.get(userId)?.size ?? 0) >= options.picks);
  const names = runs[0]?.methods.map((m) => m.name) ?? [];
  const sums = new Map(names.map((name) => [name, new Float64Array(users.length)]));
  for (const run of runs) {
    const runNames = run.methods.map((m) => m.name);
    if (runNames.join("\n") !== names.join("\n"))
      throw new Error(`every picks run must name the same methods: ${names} against ${runNames}`);
    users.forEach((userId, i) => {
      const picks = drawPicks(trainFavourites.get(userId)!, options.picks, run.seed, userId);
      for (const method of run.methods) {
        const list = method.recommend(picks, at).slice(0, at);
        sums.get(method.name)![i]! += scoreList(list, fold.heldOut.get(userId)!, at).ndcg;
      }
    });
  }
  const results = names.map((name) => {
    const perUser = sums.get(name)!.map((sum) => sum / runs.length);
    const { mean, ci95 } = meanAndCi(perUser);
    return { name, ndcg: mean, ndcgCi95: ci95, perUser };
  });
  return {
    users: users.length,
    results,
    paired(a, b) {
      const ra = results.find((r) => r.name === a)!;
      const rb = results.find((r) => r.name === b)!;
      const diff = ra.perUser.map((v, i) => v - rb.perUser[i]!);
      const { mean, ci95 } = meanAndCi(diff);
      return { a, b, meanDifference: mean, ci95 };
    },
  };
}
