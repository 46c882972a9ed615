/**
 * The storage ports: what the API handlers and the training run ask of storage, in domain terms. No SDK type
 * appears here; shared/adapters/dynamo-*.ts implement them against DynamoDB.
 */

import type { CatalogueMovie, GenreCount } from "./catalogue/catalogue.js";
import type { ClusterSummary } from "./catalogue/cluster-summaries.js";
import type { TitleIndex } from "./catalogue/search.js";
import type { Geometry, KSelectionReport, TrainingParams, TrainingStats } from "./clustering/model.js";
import type { ClusterView, FavouriteNeighbours } from "./ranking/ranking.js";
import type { StoredNeighbours } from "./ranking/similar.js";

/** A catalogue entry as the API shows it. */
export interface MovieSummary {
  readonly movieId: number;
  readonly title: string;
  readonly genres: readonly string[];
}

/**
 * A movie on the popular list: IMDb weighted rating over its ratings; when the training file had no ratings
 * (favourites format), weightedRating and ratingMean are null and the list is by favouriteCount.
 */
export interface PopularMovie extends MovieSummary {
  readonly weightedRating: number | null;
  readonly ratingCount: number;
  readonly ratingMean: number | null;
  readonly favouriteCount: number;
}

/** Everything the recommendation handler ranks from, all read from ONE model version. */
export type RecommendationData =
  | {
      readonly kind: "clusters";
      readonly version: string;
      /** The user's clusters, strongest first, each with its top-N live counts. */
      readonly clusters: readonly ClusterView[];
      /** Never recommended: the user's favourites, recorded or removed ones, rated (seen) and dismissed movies. */
      readonly exclude: ReadonlySet<number>;
      /** Title and genres of every candidate movie (empty when read without titles). */
      readonly movies: ReadonlyMap<number, MovieSummary>;
      /** For the user's favourites (up to a cap): how many liked each, and its stored item neighbours. */
      readonly neighbours: ReadonlyMap<number, FavouriteNeighbours>;
      /** Titles of the favourites in `neighbours`, for the reasons that name them. */
      readonly favouriteTitles: ReadonlyMap<number, string>;
      /** True when the user was placed from their recorded favourites rather than by training. */
      readonly placed: boolean;
    }
  | {
      readonly kind: "no-history";
      readonly version: string;
      /** Movies the user dismissed: left out of the popular list they get instead. */
      readonly exclude: ReadonlySet<number>;
    };

/** One page of a user's favourites, ordered by movieId; `nextCursor` is opaque, null on the last page. */
export interface FavouritePage {
  readonly items: readonly MovieSummary[];
  readonly nextCursor: string | null;
}

/** A cluster's taste profile. */
export interface ClusterProfile {
  readonly version: string;
  readonly clusterId: number;
  readonly size: number;
  readonly topMovies: readonly (MovieSummary & { readonly likedBy: number })[];
  readonly topGenres: readonly { readonly genre: string; readonly count: number }[];
}

/** Where a model version came from and where its k-selection report is. */
export interface ModelProvenance {
  /** The S3 object trained from: bucket, key and version id (null when the bucket is not versioned). */
  readonly source: { readonly bucket: string; readonly key: string; readonly versionId: string | null };
  /** The k-selection report files (JSON and SVG) beside the model; null until written. */
  readonly report: {
    readonly bucket: string;
    readonly jsonKey: string;
    readonly svgKey: string | null;
  } | null;
}

/** A model version's metadata, as GET /model shows it. */
export interface ModelInfo extends ModelProvenance {
  readonly version: string;
  /** ISO 8601. */
  readonly trainedAt: string;
  readonly k: number;
  readonly kSelection: KSelectionReport;
  readonly params: TrainingParams;
  readonly stats: TrainingStats;
  readonly inertia: number;
  readonly iterations: number;
  readonly clusterSizes: readonly number[];
  readonly users: number;
}

/** Outcome of recording a favourite: created false when it already was one (nothing counted). */
export interface RecordOutcome {
  readonly created: boolean;
}

/** What GET /health asks of storage. */
export interface ActiveVersionReader {
  /** The active version id, or null when no model has been published yet. */
  activeVersion(): Promise<string | null>;
}

/** The active model's popular list (GET /movies/popular, and recommend()'s fallback). */
export interface PopularMoviesReader {
  /** NotFoundError("model") when no model exists. */
  popularMovies(page: {
    limit: number;
    offset: number;
  }): Promise<{ readonly version: string; readonly movies: readonly PopularMovie[] }>;
}

/** What recommend() (shared/domain/ranking/recommend.ts) asks of storage; reads only. */
export interface RecommendationReader extends PopularMoviesReader {
  /**
   * Ranking inputs for a user, from one version. NotFoundError("model") when no model exists. With `titles`
   * false the clusters' counts come without titles and genres (`movies` empty), for a caller that names
   * movies from the version's catalogue.
   */
  recommendationData(userId: number, options?: { readonly titles?: boolean }): Promise<RecommendationData>;
  /** Title and genres of movies (recommended ones not among the clusters' counts); empty title if unknown. */
  movieSummaries(movieIds: readonly number[]): Promise<ReadonlyMap<number, MovieSummary>>;
}

/** Recording and removing favourites, each exactly once. */
export interface FavouriteWriter {
  /** Counts the favourite exactly once; NotFoundError("movie") for an unknown movie. */
  recordFavourite(userId: number, movieId: number, nowMs: number): Promise<RecordOutcome>;
  /** Removes a favourite (count never below zero); NotFoundError("favourite") when it is not one. */
  removeFavourite(userId: number, movieId: number, nowMs: number): Promise<void>;
}

/** A user's favourites, by page (GET /users/{userId}/favourites). */
export interface FavouriteLister {
  listFavourites(userId: number, page: { limit: number; cursor: string | null }): Promise<FavouritePage>;
}

/** Dismissing movies ("seen it / not interested") and undoing it. */
export interface DismissalWriter {
  /** Dismisses a movie exactly once (un-counting it as a favourite); NotFoundError("movie") if unknown. */
  dismissMovie(userId: number, movieId: number, nowMs: number): Promise<RecordOutcome>;
  /** Undoes a dismissal; NotFoundError("dismissed") when the movie is not dismissed. */
  undoDismissal(userId: number, movieId: number, nowMs: number): Promise<void>;
}

/** The active model as the API shows it: a cluster's profile, the model's metadata. */
export interface ModelReader {
  /** NotFoundError("cluster") when the active version has no such cluster. */
  clusterProfile(clusterId: number, topN: number): Promise<ClusterProfile>;
  /** NotFoundError("model") when no model exists. */
  modelInfo(): Promise<ModelInfo>;
}

/** Everything the API functions ask of the table; each handler depends only on the port it uses. */
export interface ApiStore
  extends ActiveVersionReader,
    RecommendationReader,
    FavouriteWriter,
    FavouriteLister,
    DismissalWriter,
    ModelReader {}

/** A model version's catalogue as the catalogue routes read it (loaded once per version per container). */
export interface LoadedCatalogue {
  readonly version: string;
  readonly index: TitleIndex<CatalogueMovie>;
  readonly byId: ReadonlyMap<number, CatalogueMovie>;
  readonly genres: readonly GenreCount[];
}

/** Live figures of one movie in a version: its favourite count now, per-cluster counts, stored neighbours. */
export interface MovieFigures {
  /** Favourites now (training plus recorded since, minus removed). */
  readonly favouriteCount: number;
  /** Members of each cluster who favourite it now (clusters with none are left out). */
  readonly clusterCounts: ReadonlyMap<number, number>;
  readonly neighbours: StoredNeighbours | null;
}

/** What the catalogue routes (search, movie page, similar, genres, clusters, chart) read. */
export interface CatalogueReader {
  /** The active version's catalogue. NotFoundError("model") when no model exists. */
  catalogue(): Promise<LoadedCatalogue>;
  /** A version's catalogue, from memory once loaded (no read of the pointer). */
  catalogueOf(version: string): Promise<LoadedCatalogue>;
  /** The active version's taste groups with sizes, labels and what sets them apart. */
  clusters(): Promise<{ readonly version: string; readonly clusters: readonly ClusterSummary[] }>;
  /** A movie's live figures in `version`. */
  movieFigures(version: string, movieId: number, clusters: number): Promise<MovieFigures>;
  /** Movies a user has seen in `version` (favourites trained and recorded, rated, dismissed); empty if unknown. */
  seenBy(userId: number, version: string): Promise<ReadonlySet<number>>;
  /** The active version's k-selection chart (SVG); null when that version stored none. */
  chart(): Promise<{ readonly version: string; readonly svg: string } | null>;
}

/** What placing picks needs of the live version: its clusters and the picks' centroid coordinates. */
export interface PicksInputs {
  readonly version: string;
  readonly geometry: Geometry;
  /** By cluster id. */
  readonly sizes: readonly number[];
  readonly norms2: readonly number[];
  /** Each known pick's coordinate on every centroid (picks no one favourited in training are absent). */
  readonly coords: ReadonlyMap<number, ArrayLike<number>>;
  /** Each pick's stored neighbours. */
  readonly neighbours: ReadonlyMap<number, StoredNeighbours>;
}

/** What POST /recommendations reads. */
export interface PicksReader {
  /** NotFoundError("model") when no model exists. */
  picksInputs(movieIds: readonly number[]): Promise<PicksInputs>;
  /** Each cluster's top `topN` movies by live favourite count. */
  clusterCounts(
    version: string,
    clusterIds: readonly number[],
    topN: number,
  ): Promise<ReadonlyMap<number, ReadonlyMap<number, number>>>;
  /** Everyone's top `topN` movies by live favourite count. */
  everyoneCounts(version: string, topN: number): Promise<ReadonlyMap<number, number>>;
}

/** Looks up whose numeric user id a sign-in subject (a token's `sub`) is. */
export interface AccountReader {
  /** The user id linked to `subject`, or null when the subject has no account yet. */
  userIdOf(subject: string): Promise<number | null>;
}

/** Opens accounts: links a sign-in subject to a numeric user id, once, for good. */
export interface AccountWriter extends AccountReader {
  /**
   * The subject's user id; a subject without one gets a new id (never used before, never reused). Calling it
   * again, or concurrently, returns the same id.
   */
  openAccount(subject: string): Promise<number>;
  /**
   * Links `subject` to an existing user id (a trained sample user signing in locally). `linked` false when the
   * subject or the user id already belongs to someone else; true when this link is (now) in place.
   */
  linkAccount(subject: string, userId: number): Promise<{ readonly linked: boolean }>;
}
