import { parseGenreFilter } from "../../shared/domain/catalogue/genre-filter.js";
import { searchTitles } from "../../shared/domain/catalogue/search.js";
import type { CatalogueReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { searchMoviesQuery } from "../../shared/http/catalogue-schemas.js";
import { decodeOffsetCursor, encodeOffsetCursor } from "../../shared/http/cursor.js";
import { movieView } from "../../shared/http/movie-view.js";
import { parseQuery } from "../../shared/http/request-schemas.js";

/** Dependencies of GET /movies. */
export interface Deps {
  readonly catalogue: CatalogueReader;
}

/** Title search (or the catalogue by popularity) with an any-of genre filter, paged by cursor. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const query = parseQuery(event, searchMoviesQuery, { repeatable: ["genre"] });
    const catalogue = await deps.catalogue.catalogue();
    const filter = parseGenreFilter(
      query.genre,
      catalogue.genres.map((g) => g.genre),
    );
    const offset = decodeOffsetCursor(query.cursor, catalogue.version);
    const { hits, total } = searchTitles(catalogue.index, {
      query: query.search,
      ...(filter ? { accept: (movie) => filter.accepts(movie.genres) } : {}),
      limit: query.limit,
      offset,
    });
    const next = offset + hits.length;
    return {
      statusCode: 200,
      body: {
        modelVersion: catalogue.version,
        total,
        items: hits.map((hit) => ({ ...movieView(hit.movie), match: hit.match })),
        nextCursor: next < total ? encodeOffsetCursor(catalogue.version, next) : null,
      },
    };
  });
}
