import type { CatalogueReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of GET /clusters. */
export interface Deps {
  readonly catalogue: CatalogueReader;
}

/** Every taste group of the live model: size, label, distinctive genres and movies by lift, with counts. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async () => {
    const { version, clusters } = await deps.catalogue.clusters();
    return { statusCode: 200, body: { modelVersion: version, items: clusters } };
  });
}
