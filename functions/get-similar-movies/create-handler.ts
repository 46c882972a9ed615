import { NotFoundError } from "../../shared/domain/errors.js";
import type { CatalogueReader } from "../../shared/domain/ports.js";
import { similarMovies } from "../../shared/domain/ranking/similar.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { moviePath, similarMoviesQuery } from "../../shared/http/catalogue-schemas.js";
import { parsePath, parseQuery } from "../../shared/http/request-schemas.js";

/** Dependencies of GET /movies/{movieId}/similar. */
export interface Deps {
  readonly catalogue: CatalogueReader;
}

/**
 * The movies most often favourited by the people who favourited this one (its stored neighbours), each with
 * the counts behind it; with `userId`, movies that user has already seen are left out.
 */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const { movieId } = parsePath(event, moviePath);
    const { limit, userId } = parseQuery(event, similarMoviesQuery);
    const catalogue = await deps.catalogue.catalogue();
    const movie = catalogue.byId.get(movieId);
    if (!movie) throw new NotFoundError("movie", `movie ${movieId} is not in the catalogue`);
    const [figures, seen] = await Promise.all([
      deps.catalogue.movieFigures(catalogue.version, movieId, 0),
      userId === undefined ? new Set<number>() : deps.catalogue.seenBy(userId, catalogue.version),
    ]);
    const similar = figures.neighbours ? similarMovies(movie, figures.neighbours, seen, limit) : [];
    return {
      statusCode: 200,
      body: {
        modelVersion: catalogue.version,
        movieId,
        title: movie.title,
        items: similar.map((s) => {
          const other = catalogue.byId.get(s.movieId);
          return {
            movieId: s.movieId,
            title: other?.title ?? "",
            genres: other?.genres ?? [],
            similarity: s.similarity,
            likedByBoth: s.likedByBoth,
            reason: s.reason,
          };
        }),
      },
    };
  });
}
