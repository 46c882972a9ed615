import { imdbUrl, tmdbUrl } from "../../shared/domain/catalogue/links-parser.js";
import { NotFoundError } from "../../shared/domain/errors.js";
import type { CatalogueReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { moviePath } from "../../shared/http/catalogue-schemas.js";
import { parsePath } from "../../shared/http/request-schemas.js";

/** Dependencies of GET /movies/{movieId}. */
export interface Deps {
  readonly catalogue: CatalogueReader;
}

/** Taste groups shown on a movie page. */
const GROUPS = 3;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * A movie page: title, year, genres, rating figures, favourites now, the taste groups that love it most (the
 * largest share of members who favourite it, with lift over everyone) and IMDb/TMDb links when known.
 */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const { movieId } = parsePath(event, moviePath);
    const catalogue = await deps.catalogue.catalogue();
    const movie = catalogue.byId.get(movieId);
    if (!movie) throw new NotFoundError("movie", `movie ${movieId} is not in the catalogue`);
    const { clusters } = await deps.catalogue.clusters();
    const figures = await deps.catalogue.movieFigures(catalogue.version, movieId, clusters.length);
    const users = clusters.reduce((sum, c) => sum + c.size, 0);
    const overallShare = users > 0 ? figures.favouriteCount / users : 0;
    const groups = clusters
      .filter((c) => (figures.clusterCounts.get(c.clusterId) ?? 0) > 0 && c.size > 0)
      .map((c) => {
        const likedBy = figures.clusterCounts.get(c.clusterId)!;
        const share = likedBy / c.size;
        return {
          clusterId: c.clusterId,
          label: c.label,
          size: c.size,
          likedBy,
          share: round(share),
          lift: overallShare > 0 ? Math.round((share / overallShare) * 100) / 100 : 0,
        };
      })
      .sort((a, b) => b.share - a.share || a.clusterId - b.clusterId)
      .slice(0, GROUPS);
    return {
      statusCode: 200,
      body: {
        modelVersion: catalogue.version,
        movieId,
        title: movie.title,
        year: movie.year,
        genres: movie.genres,
        ratingCount: movie.ratingCount,
        ratingMean: movie.ratingMean,
        favouriteCount: figures.favouriteCount,
        tasteGroups: groups,
        links: {
          imdb: movie.imdbId === null ? null : imdbUrl(movie.imdbId),
          tmdb: movie.tmdbId === null ? null : tmdbUrl(movie.tmdbId),
        },
      },
    };
  });
}
