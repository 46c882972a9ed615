import type { CatalogueReader, PopularMoviesReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { genreFilterOf } from "../../shared/http/genre-param.js";
import { parseQuery } from "../../shared/http/request-schemas.js";
import { popularQuery as querySchema } from "../../shared/http/route-contracts.js";

/** Dependencies of GET /movies/popular. */
export interface Deps {
  readonly store: PopularMoviesReader;
  /** The live model's genres, to check `genre` against (every Lambda has it; without it nothing is checked). */
  readonly catalogue?: CatalogueReader;
}

/** The whole stored popular list is read when a genre filter has to be applied to it. */
const POPULAR_DEPTH = 100_000;

/**
 * The weighted-rating (IMDb formula) list of the active model, for people with no history (by favourite
 * count when the model was trained without ratings); `genre` keeps movies of any of the genres given.
 */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const { limit, offset, genre } = parseQuery(event, querySchema, { repeatable: ["genre"] });
    if (genre === undefined) {
      const { version, movies } = await deps.store.popularMovies({ limit, offset });
      return { statusCode: 200, body: { modelVersion: version, items: movies } };
    }
    const filter = (await genreFilterOf(genre, deps.catalogue))!;
    const { version, movies } = await deps.store.popularMovies({ limit: POPULAR_DEPTH, offset: 0 });
    const items = movies.filter((m) => filter.accepts(m.genres)).slice(offset, offset + limit);
    return { statusCode: 200, body: { modelVersion: version, items } };
  });
}
