/**
 * What one model version consists of, built from a trained model: the catalogue, every cluster's top-N
 * favourite counts and taste profile, the global counts (with item neighbours), each user's clusters and
 * trained favourites, and the popular list; plus the metadata that describes the version. Pure: storage
 * adapters encode these items (shared/adapters/dynamo-version-encoding.ts) and write them.
 */

import { buildCatalogue, type CatalogueMovie, type GenreCount, genreCounts } from "../catalogue/catalogue.js";
import { type ClusterSummary, summariseClusters } from "../catalogue/cluster-summaries.js";
import type { MovieLinks } from "../catalogue/links-parser.js";
import { clusterCentroids } from "../clustering/cluster-centroids.js";
import type { TrainedModel } from "../clustering/model.js";
import { binarySearch } from "../clustering/sparse-matrix.js";
import { ValidationError } from "../errors.js";
import type { Movie } from "../input/ratings.js";
import type { ModelInfo, ModelProvenance, PopularMovie } from "../ports.js";
import type { ItemNeighbours } from "../ranking/item-neighbours.js";
import { popularList, topGenres } from "../ranking/popularity.js";

/** Users' favourites in CSR form (shared/domain/clustering/sparse-matrix.ts SparseMatrix satisfies it). */
export interface UserFavourites {
  /** User id of each row, ascending. */
  readonly rowIds: Int32Array;
  /** Row i's entries are colIdx[rowPtr[i] .. rowPtr[i + 1] - 1]. */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** Movie id of each column, ascending. */
  readonly colIds: Int32Array;
}

/** Everything a model version is written from. */
export interface ModelVersionInput {
  /** Letters, digits, `-` and `_`, at most 64; sortable by time is convenient (e.g. 20261121T061600Z-ab12). */
  readonly version: string;
  readonly trainedAtMs: number;
  readonly model: TrainedModel;
  /** The favourites the model was trained on (ratings file merged with API favourites). */
  readonly favourites: UserFavourites;
  /** Every movie each user rated, at any value (buildRatedMatrix); stored as their seen movies. */
  readonly rated?: UserFavourites;
  readonly movies: readonly Movie[];
  readonly source: ModelProvenance["source"];
  readonly report?: ModelProvenance["report"];
  /**
   * Item neighbours from the same training data (shared/domain/ranking/item-neighbours.ts), for the ranking's
   * neighbour blend; stored on the version's global count items. Absent: recommendations rank by the groups.
   */
  readonly neighbours?: ItemNeighbours;
  /** IMDb and TMDb ids (links.csv), shown on the movie page; absent or empty when the data has none. */
  readonly links?: readonly MovieLinks[];
  /** The k-selection chart (SVG), served by GET /model/k-selection.svg. */
  readonly chartSvg?: string;
}

/** Movies per catalogue chunk (one stored item each; ~40 KB compressed). */
const CATALOGUE_CHUNK = 2_000;

/** How much of a model goes into its version (defaults in shared/domain/settings.ts). */
export interface VersionItemOptions {
  /** Per cluster, only the top-N movie counts are stored. */
  readonly clusterTopN: number;
  /** IMDb weighted rating: minimum number of ratings a movie needs to count fully. */
  readonly popularMinVotes: number;
  /** Movies kept in the popular list. */
  readonly popularListSize: number;
}

/** Cluster id of the global counts (every user). */
export const GLOBAL_CLUSTER = "global";

/** One item of a model version, in domain terms; `kind` says which. */
export type VersionItem =
  | {
      /** A catalogue entry, with the movie's rating statistics at training (0 and 0 when unrated). */
      readonly kind: "movie";
      readonly movieId: number;
      readonly title: string;
      readonly genres: readonly string[];
      readonly ratingCount: number;
      /** Rounded to 3 decimals. */
      readonly ratingMean: number;
    }
  | {
      /** A movie's favourite count in one cluster (or every user), as trained. */
      readonly kind: "count";
      readonly cluster: number | typeof GLOBAL_CLUSTER;
      readonly movieId: number;
      readonly count: number;
      /** Empty title and genres when the catalogue does not list the movie. */
      readonly title: string;
      readonly genres: readonly string[];
      /** On global counts: the movie's coordinate on each cluster centroid (placing picks by closeness). */
      readonly centroid?: Float32Array;
      /**
       * On global counts: the movie's item neighbours, best first, their weights, and how many people favourited
       * both (the reason's figure).
       */
      readonly neighbours?: {
        readonly movieIds: Int32Array;
        readonly similarities: Float32Array;
        readonly together: Int32Array;
      };
    }
  | {
      /** A cluster's size and the genres its members favour most (at most 5). */
      readonly kind: "cluster-profile";
      readonly clusterId: number;
      readonly size: number;
      readonly topGenres: readonly { readonly genre: string; readonly count: number }[];
      /** Label and distinctive genres and movies by lift (GET /clusters). */
      readonly summary: ClusterSummary;
      /** ||centroid||^2 in the clustering's space (placing picks by closeness). */
      readonly centroidNorm2: number;
    }
  | {
      /** Part of the version's catalogue (search, movie pages), in movieId order. */
      readonly kind: "catalogue-chunk";
      readonly chunk: number;
      readonly movies: readonly CatalogueMovie[];
    }
  | {
      /** The version's genres with their movie counts. */
      readonly kind: "genres";
      readonly genres: readonly GenreCount[];
    }
  | {
      /** The k-selection chart (SVG). */
      readonly kind: "chart";
      readonly svg: string;
    }
  | {
      /** A trained user: their cluster, soft memberships (weights rounded to 4 decimals), and favourites. */
      readonly kind: "user";
      readonly userId: number;
      readonly cluster: number;
      readonly memberships: { readonly clusters: readonly number[]; readonly weights: readonly number[] };
      /** Ascending movie ids. */
      readonly favourites: Int32Array;
      /** Movies rated but not favourites (seen: never recommended), ascending. */
      readonly seen: Int32Array;
    }
  | {
      /** The popular list for users without history, best first (catalogued movies only). */
      readonly kind: "popular";
      readonly movies: readonly PopularMovie[];
    };

/** A version's description as stored in its metadata item (GET /model adds the version and report). */
export type VersionInfo = Omit<ModelInfo, "version" | "report">;

const VERSION_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks a version id: 1-64 letters, digits, `-` or `_` (it is part of every key of the version). */
export function checkVersionId(version: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw new ValidationError(
      "version",
      `version ${JSON.stringify(version)} must be 1-64 letters, digits, - or _`,
    );
  }
}

/** Checks what a version is written from: a valid id and cluster ids 0..k-1 in order. */
export function checkVersionInput(input: ModelVersionInput): void {
  checkVersionId(input.version);
  if (input.model.clusters.some((c, i) => c.clusterId !== i)) {
    throw new ValidationError("model.clusters", "cluster ids must be 0..k-1 in order");
  }
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The trained favourites of one user, ascending movie ids; empty for a user without a row. */
function trainedFavourites(favourites: UserFavourites, userId: number): Int32Array {
  const row = binarySearch(favourites.rowIds, userId);
  if (row < 0) return new Int32Array(0);
  const start = favourites.rowPtr[row]!;
  const end = favourites.rowPtr[row + 1]!;
  const ids = new Int32Array(end - start);
  for (let j = start; j < end; j++) ids[j - start] = favourites.colIds[favourites.colIdx[j]!]!;
  return ids.sort();
}

/** The trained clusters' centroids (after folding), by movie, from the favourites the model was trained on. */
function centroidsOf(input: ModelVersionInput): {
  norms2: Float64Array;
  of: (movieId: number) => Float32Array | undefined;
} {
  const { model, favourites } = input;
  const k = model.clusters.length;
  const rowCluster = Int32Array.from(favourites.rowIds, (userId) => {
    const i = binarySearch(model.userIds, userId);
    return i < 0 ? -1 : model.clusterOf[i]!;
  });
  const matrix = {
    rows: favourites.rowIds.length,
    cols: favourites.colIds.length,
    rowPtr: favourites.rowPtr,
    colIdx: favourites.colIdx,
  };
  const centroids = clusterCentroids(matrix, rowCluster, k, model.params.geometry);
  return {
    norms2: centroids.norms2,
    of: (movieId) => {
      const col = binarySearch(favourites.colIds, movieId);
      return col < 0 ? undefined : centroids.coords.slice(col * k, (col + 1) * k);
    },
  };
}

/** The movies a user rated that are not among their favourites, ascending; empty without ratings. */
function seenNotFavourite(
  rated: UserFavourites | undefined,
  userId: number,
  favourites: Int32Array,
): Int32Array {
  if (!rated) return new Int32Array(0);
  const all = trainedFavourites(rated, userId);
  return all.filter((movieId) => binarySearch(favourites, movieId) < 0);
}

/** A movie's stored neighbours, or undefined when it has none. */
function neighboursOf(
  neighbours: ItemNeighbours | undefined,
): (
  movieId: number,
) => { movieIds: Int32Array; similarities: Float32Array; together: Int32Array } | undefined {
  if (!neighbours) return () => undefined;
  const index = new Map<number, number>();
  neighbours.movieIds.forEach((id, i) => {
    index.set(id, i);
  });
  return (movieId) => {
    const i = index.get(movieId);
    if (i === undefined) return undefined;
    const start = neighbours.offsets[i]!;
    const end = neighbours.offsets[i + 1]!;
    if (end <= start) return undefined;
    return {
      movieIds: neighbours.neighbours.subarray(start, end),
      similarities: neighbours.similarities.subarray(start, end),
      together: neighbours.together.subarray(start, end),
    };
  };
}

/**
 * Builds every item of a version but its metadata, in write order: the catalogue (one per movie listed),
 * (the search catalogue chunks, the genre list and the chart come just before the popular list)
 * then per cluster its top `clusterTopN` counts and its profile, then
 * every global count (with neighbours), one item per trained user (a user whose memberships are all empty
 * gets their cluster with weight 1), and the popular list.
 */
export function buildVersionItems(input: ModelVersionInput, options: VersionItemOptions): VersionItem[] {
  const { model, movies } = input;
  const byId = new Map(movies.map((movie) => [movie.movieId, movie]));
  const items: VersionItem[] = [];
  const ratingIndex = new Map<number, number>();
  model.movieRatings.movieIds.forEach((id, i) => {
    ratingIndex.set(id, i);
  });
  for (const movie of movies) {
    const r = ratingIndex.get(movie.movieId);
    items.push({
      kind: "movie",
      movieId: movie.movieId,
      title: movie.title,
      genres: movie.genres,
      ratingCount: r === undefined ? 0 : model.movieRatings.counts[r]!,
      ratingMean: r === undefined ? 0 : round(model.movieRatings.means[r]!, 3),
    });
  }
  const summaries = summariseClusters(model, movies);
  const centroids = centroidsOf(input);
  const countItems = (
    cluster: number | typeof GLOBAL_CLUSTER,
    movieIds: Int32Array,
    counts: Int32Array,
    cap: number,
    extra: (movieId: number) => Pick<VersionItem & { kind: "count" }, "neighbours" | "centroid">,
  ) => {
    for (let i = 0; i < Math.min(cap, movieIds.length); i++) {
      const movieId = movieIds[i]!;
      const movie = byId.get(movieId);
      items.push({
        kind: "count",
        cluster,
        movieId,
        count: counts[i]!,
        title: movie?.title ?? "",
        genres: movie?.genres ?? [],
        ...extra(movieId),
      });
    }
  };
  for (const cluster of model.clusters) {
    countItems(cluster.clusterId, cluster.movieIds, cluster.counts, options.clusterTopN, () => ({}));
    items.push({
      kind: "cluster-profile",
      clusterId: cluster.clusterId,
      size: cluster.size,
      topGenres: topGenres(cluster.movieIds, cluster.counts, (id) => byId.get(id)?.genres, 5),
      summary: summaries[cluster.clusterId]!,
      centroidNorm2: centroids.norms2[cluster.clusterId]!,
    });
  }
  const neighbours = neighboursOf(input.neighbours);
  countItems(
    GLOBAL_CLUSTER,
    model.global.movieIds,
    model.global.counts,
    Number.MAX_SAFE_INTEGER,
    (movieId) => {
      const found = neighbours(movieId);
      const centroid = centroids.of(movieId);
      return { ...(found ? { neighbours: found } : {}), ...(centroid ? { centroid } : {}) };
    },
  );
  const width = model.membershipWidth;
  for (let i = 0; i < model.userIds.length; i++) {
    const userId = model.userIds[i]!;
    const clusters: number[] = [];
    const weights: number[] = [];
    for (let j = 0; j < width; j++) {
      const c = model.membershipClusters[i * width + j]!;
      if (c < 0) continue;
      clusters.push(c);
      weights.push(round(model.membershipWeights[i * width + j]!, 4));
    }
    if (clusters.length === 0) {
      clusters.push(model.clusterOf[i]!);
      weights.push(1);
    }
    const favourites = trainedFavourites(input.favourites, userId);
    items.push({
      kind: "user",
      userId,
      cluster: model.clusterOf[i]!,
      memberships: { clusters, weights },
      favourites,
      seen: seenNotFavourite(input.rated, userId, favourites),
    });
  }
  const popular = popularList(
    model.movieRatings,
    { minVotes: options.popularMinVotes, size: options.popularListSize },
    model.global,
  ).flatMap((entry): PopularMovie[] => {
    const movie = byId.get(entry.movieId);
    if (!movie) return [];
    return [
      {
        movieId: entry.movieId,
        title: movie.title,
        genres: movie.genres,
        weightedRating: entry.weightedRating === null ? null : round(entry.weightedRating, 3),
        ratingCount: entry.ratingCount,
        ratingMean: entry.ratingMean === null ? null : round(entry.ratingMean, 3),
        favouriteCount: entry.favouriteCount,
      },
    ];
  });
  const catalogue = buildCatalogue(movies, model, input.links ?? []);
  for (let chunk = 0; chunk * CATALOGUE_CHUNK < catalogue.length; chunk++) {
    const part = catalogue.slice(chunk * CATALOGUE_CHUNK, (chunk + 1) * CATALOGUE_CHUNK);
    items.push({ kind: "catalogue-chunk", chunk, movies: part });
  }
  items.push({ kind: "genres", genres: genreCounts(catalogue) });
  if (input.chartSvg !== undefined) items.push({ kind: "chart", svg: input.chartSvg });
  items.push({ kind: "popular", movies: popular });
  return items;
}

/** The version's description for its metadata item: when, how k was chosen, sizes, and the source. */
export function versionInfo(input: ModelVersionInput): VersionInfo {
  const { model } = input;
  return {
    trainedAt: new Date(input.trainedAtMs).toISOString(),
    k: model.clusters.length,
    kSelection: model.kSelection,
    params: model.params,
    stats: model.stats,
    inertia: model.inertia,
    iterations: model.iterations,
    clusterSizes: model.clusters.map((c) => c.size),
    users: model.userIds.length,
    source: input.source,
  };
}
