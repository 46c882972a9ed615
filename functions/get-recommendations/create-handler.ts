import type { ApiStore, CatalogueReader, PopularMovie } from "../../shared/domain/ports.js";
import { rankMovies } from "../../shared/domain/ranking/ranking.js";
import { explain } from "../../shared/domain/ranking/reasons.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { genreFilterOf } from "../../shared/http/genre-param.js";
import { parsePath, parseQuery } from "../../shared/http/request-schemas.js";
import {
  userPath as pathSchema,
  recommendationsQuery as querySchema,
} from "../../shared/http/route-contracts.js";

/** Dependencies of GET /users/{userId}/recommendations. */
export interface Deps {
  readonly store: ApiStore;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Weight of the item-neighbour blend in rankMovies; 0 (the default) ranks by the taste groups alone. */
  readonly neighbourWeight?: number;
  /** The live model's genres, to check `genre` against (every Lambda has it; without it nothing is checked). */
  readonly catalogue?: CatalogueReader;
}

/** Popular movies are read this deep when a genre filter has to be applied to them. */
const POPULAR_DEPTH = 500;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function popularReason(movie: PopularMovie): string {
  if (movie.ratingMean === null) {
    return `popular with everyone: a favourite of ${movie.favouriteCount} ${movie.favouriteCount === 1 ? "person" : "people"}`;
  }
  const people = movie.ratingCount === 1 ? "person" : "people";
  return `popular with everyone: rated ${movie.ratingMean.toFixed(1)} on average by ${movie.ratingCount} ${people}`;
}

/**
 * Recommendations from the user's taste cluster(s), ranked by the shared ranking function and explained by
 * `explain`; never a movie the user has. A user with no history gets the popular list, labelled as such.
 */
export function createHandler(deps: Deps): ApiHandler {
  return personalHandler(deps.caller, async (event) => {
    const { userId } = parsePath(event, pathSchema);
    const { limit, offset, genre } = parseQuery(event, querySchema, { repeatable: ["genre"] });
    const filter = await genreFilterOf(genre, deps.catalogue);
    const hasGenre = (genres: readonly string[]) => filter === undefined || filter.accepts(genres);
    const data = await deps.store.recommendationData(userId);
    if (data.kind === "no-history") {
      const filtered = filter !== undefined || data.exclude.size > 0;
      const popular = await deps.store.popularMovies(
        filtered ? { limit: POPULAR_DEPTH, offset: 0 } : { limit, offset },
      );
      const movies = filtered
        ? popular.movies
            .filter((m) => hasGenre(m.genres) && !data.exclude.has(m.movieId))
            .slice(offset, offset + limit)
        : popular.movies;
      return {
        statusCode: 200,
        body: {
          userId,
          modelVersion: popular.version,
          source: "popular",
          items: movies.map((m) => ({
            movieId: m.movieId,
            title: m.title,
            genres: m.genres,
            score: m.weightedRating ?? m.favouriteCount,
            reason: popularReason(m),
          })),
        },
      };
    }
    const weight = deps.neighbourWeight ?? 0;
    const ranked = rankMovies({
      clusters: data.clusters,
      ...(weight > 0 && data.neighbours.size > 0 ? { neighbours: { weight, of: data.neighbours } } : {}),
      global: data.global,
      exclude: data.exclude,
      ...(filter === undefined
        ? {}
        : { accept: (id: number) => hasGenre(data.movies.get(id)?.genres ?? []) }),
      limit,
      offset,
    });
    // Movies that came from the favourites' neighbours rather than the clusters' counts need their titles.
    const missing = ranked.map((movie) => movie.movieId).filter((id) => !data.movies.has(id));
    const extra = missing.length > 0 ? await deps.store.movieSummaries(missing) : new Map();
    const infoOf = (id: number) => data.movies.get(id) ?? extra.get(id);
    const names = {
      ownClusterId: data.clusters[0]?.clusterId ?? -1,
      ownGroup: "your taste group",
      titleOf: (id: number) => data.favouriteTitles.get(id),
    };
    return {
      statusCode: 200,
      body: {
        userId,
        modelVersion: data.version,
        source: data.placed ? "placed-cluster" : "cluster",
        clusterId: data.clusters[0]?.clusterId ?? null,
        items: ranked.map((movie) => {
          const info = infoOf(movie.movieId);
          return {
            movieId: movie.movieId,
            title: info?.title ?? "",
            genres: info?.genres ?? [],
            score: round(movie.score),
            ...explain(movie, names),
          };
        }),
      },
    };
  });
}
