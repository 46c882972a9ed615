import type { ModelReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { parsePath, parseQuery } from "../../shared/http/request-schemas.js";
import { clusterPath as pathSchema, clusterQuery as querySchema } from "../../shared/http/route-contracts.js";

/** Dependencies of GET /clusters/{clusterId}. */
export interface Deps {
  readonly store: ModelReader;
}

/** A taste cluster's profile: size, top movies (live counts), top genres; 404 for an unknown cluster. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const path = parsePath(event, pathSchema);
    const { limit } = parseQuery(event, querySchema);
    const profile = await deps.store.clusterProfile(path.clusterId, limit);
    return {
      statusCode: 200,
      body: {
        modelVersion: profile.version,
        clusterId: profile.clusterId,
        size: profile.size,
        topMovies: profile.topMovies,
        topGenres: profile.topGenres,
      },
    };
  });
}
