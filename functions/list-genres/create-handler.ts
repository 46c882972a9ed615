import type { CatalogueReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of GET /genres. */
export interface Deps {
  readonly catalogue: CatalogueReader;
}

/** The genres of the live model, each with its number of movies, most first: the valid `genre` values. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async () => {
    const catalogue = await deps.catalogue.catalogue();
    return { statusCode: 200, body: { modelVersion: catalogue.version, items: catalogue.genres } };
  });
}
