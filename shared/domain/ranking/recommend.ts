/**
 * One user's recommendations, from request to answer: the taste-cluster ranking (rankMovies) with its
 * reasons, the genre filter, the exclusion of what the user has, and the popular fallback for a user with no
 * history. No I/O of its own: storage is asked through the RecommendationReader port.
 */
import { type GenreFilter, parseGenreFilter } from "../catalogue/genre-filter.js";
import type {
  CatalogueReader,
  LoadedCatalogue,
  MovieSummary,
  PopularMovie,
  RecommendationData,
  RecommendationReader,
} from "../ports.js";
import { rankMovies } from "./ranking.js";
import { type Explanation, explain } from "./reasons.js";

/** What is asked: whose recommendations, which page, optionally some genres only. */
export interface RecommendRequest {
  readonly userId: number;
  readonly limit: number;
  readonly offset: number;
  /**
   * The `genre` parameter as asked (several, comma-separated: any of them); checked against the live model's
   * genres when a catalogue is given. All movies when absent.
   */
  readonly genre?: string | undefined;
  /** Weight of the item-neighbour blend in rankMovies; 0 ranks by the taste groups alone. */
  readonly neighbourWeight: number;
}

/** One recommended movie, with the sentence a person reads next to it. */
export interface RecommendedMovie {
  readonly movieId: number;
  readonly title: string;
  readonly genres: readonly string[];
  readonly score: number;
  readonly reason: string;
  /** With the neighbour blend: the user's favourite that led to this movie. */
  readonly similarTo?: Explanation["similarTo"];
}

/** The answer: from the user's cluster(s), or the popular list when the user has no history. */
export type Recommendation =
  | {
      readonly userId: number;
      readonly modelVersion: string;
      readonly source: "popular";
      readonly items: readonly RecommendedMovie[];
    }
  | {
      readonly userId: number;
      readonly modelVersion: string;
      readonly source: "cluster" | "placed-cluster";
      /** The user's strongest cluster. */
      readonly clusterId: number | null;
      readonly items: readonly RecommendedMovie[];
    };

/** Popular movies are read this deep when a genre filter or exclusions have to be applied to them. */
export const POPULAR_DEPTH = 500;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The reason shown next to a popular movie: "popular with everyone: rated 4.2 on average by 31 people", or
 * by its favourite count when the model was trained on favourites only.
 */
export function popularReason(movie: PopularMovie): string {
  if (movie.ratingMean === null) {
    const people = movie.favouriteCount === 1 ? "person" : "people";
    return `popular with everyone: a favourite of ${movie.favouriteCount} ${people}`;
  }
  const people = movie.ratingCount === 1 ? "person" : "people";
  return `popular with everyone: rated ${movie.ratingMean.toFixed(1)} on average by ${movie.ratingCount} ${people}`;
}

/**
 * Ranks a user's cluster data (rankMovies: never a movie in `data.exclude`, only what the genre filter
 * accepts) and explains each movie (`explain`: the favourite a neighbour came from, the group that liked it,
 * only the strongest membership being "your taste group"). Movies the clusters' counts did not bring (they
 * came from the favourites' neighbours) take their title and genres from the version's catalogue when it is
 * loaded for the same version (so the genre filter keeps them when their genres match), else are looked up
 * through the reader.
 */
async function rankClusterData(
  reader: RecommendationReader,
  data: Extract<RecommendationData, { kind: "clusters" }>,
  request: RecommendRequest,
  filter: GenreFilter | undefined,
  catalogue: LoadedCatalogue | undefined,
): Promise<Recommendation> {
  const weight = request.neighbourWeight;
  const known = catalogue?.version === data.version ? catalogue.byId : undefined;
  const infoOf = (id: number): MovieSummary | undefined => data.movies.get(id) ?? known?.get(id);
  const ranked = rankMovies({
    clusters: data.clusters,
    ...(weight > 0 && data.neighbours.size > 0 ? { neighbours: { weight, of: data.neighbours } } : {}),
    exclude: data.exclude,
    ...(filter === undefined ? {} : { accept: (id: number) => filter.accepts(infoOf(id)?.genres ?? []) }),
    limit: request.limit,
    offset: request.offset,
  });
  const missing = ranked.map((movie) => movie.movieId).filter((id) => infoOf(id) === undefined);
  const extra: ReadonlyMap<number, MovieSummary> =
    missing.length > 0 ? await reader.movieSummaries(missing) : new Map();
  const names = {
    ownClusterId: data.clusters[0]?.clusterId ?? -1,
    ownGroup: "your taste group",
    titleOf: (id: number) => data.favouriteTitles.get(id),
  };
  return {
    userId: request.userId,
    modelVersion: data.version,
    source: data.placed ? "placed-cluster" : "cluster",
    clusterId: data.clusters[0]?.clusterId ?? null,
    items: ranked.map((movie) => {
      const info = infoOf(movie.movieId) ?? extra.get(movie.movieId);
      return {
        movieId: movie.movieId,
        title: info?.title ?? "",
        genres: info?.genres ?? [],
        score: round(movie.score),
        ...explain(movie, names),
      };
    }),
  };
}

/**
 * A user's recommendations: ranked from their taste cluster(s) when they have history in the active model;
 * otherwise the popular list without their dismissed movies (read POPULAR_DEPTH deep when a filter or
 * exclusions apply), labelled as such. With `catalogue`, the catalogue of the version the user's data came
 * from (the instance's memory once loaded) checks the genre names and names every movie, so the clusters'
 * counts are read without titles and genres (read again with them only when the catalogue fails to load). NotFoundError("model") from the
 * reader when no model exists; ValidationError("genre") for an unknown genre.
 */
export async function recommend(
  reader: RecommendationReader,
  request: RecommendRequest,
  catalogue?: CatalogueReader,
): Promise<Recommendation> {
  // With a catalogue the clusters' counts are read without titles and genres: the catalogue of the version
  // read names every movie, from the instance's memory once loaded (a third round trip only when cold).
  const titled = catalogue === undefined;
  const first = await reader.recommendationData(request.userId, { titles: titled });
  const loading = catalogue?.catalogueOf(first.version);
  // Without a genre to check, the catalogue only names movies: a failure to load it is not the answer's.
  const live = await (loading && request.genre === undefined ? loading.catch(() => undefined) : loading);
  // Rarely it cannot name them (it failed to load): then the counts are read again, with titles.
  const data =
    first.kind === "clusters" && !titled && live === undefined
      ? await reader.recommendationData(request.userId, { titles: true })
      : first;
  const filter = parseGenreFilter(request.genre, live ? live.genres.map((g) => g.genre) : null);
  if (data.kind === "clusters") return rankClusterData(reader, data, request, filter, live);
  const { limit, offset } = request;
  const filtered = filter !== undefined || data.exclude.size > 0;
  const popular = await reader.popularMovies(
    filtered ? { limit: POPULAR_DEPTH, offset: 0 } : { limit, offset },
  );
  const movies = filtered
    ? popular.movies
        .filter((m) => (filter === undefined || filter.accepts(m.genres)) && !data.exclude.has(m.movieId))
        .slice(offset, offset + limit)
    : popular.movies;
  return {
    userId: request.userId,
    modelVersion: popular.version,
    source: "popular",
    items: movies.map((m) => ({
      movieId: m.movieId,
      title: m.title,
      genres: m.genres,
      score: m.weightedRating ?? m.favouriteCount,
      reason: popularReason(m),
    })),
  };
}
