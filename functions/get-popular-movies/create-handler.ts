import * as z from "zod/mini";
import type { ApiStore } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { limitParam, offsetParam, parseQuery } from "../../shared/http/request-schemas.js";

/** Dependencies of GET /movies/popular. */
export interface Deps {
  readonly store: ApiStore;
}

const querySchema = z.object({ limit: limitParam, offset: offsetParam });

/** The weighted-rating (IMDb formula) list of the active model, for people with no history. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const page = parseQuery(event, querySchema);
    const { version, movies } = await deps.store.popularMovies(page);
    return { statusCode: 200, body: { modelVersion: version, items: movies } };
  });
}
