import type { CatalogueReader, RecommendationReader } from "../../shared/domain/ports.js";
import { recommend } from "../../shared/domain/ranking/recommend.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { parsePath, parseQuery } from "../../shared/http/request-schemas.js";
import {
  userPath as pathSchema,
  recommendationsQuery as querySchema,
} from "../../shared/http/route-contracts.js";

/** Dependencies of GET /users/{userId}/recommendations. */
export interface Deps {
  readonly store: RecommendationReader;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Weight of the item-neighbour blend in rankMovies; 0 (the default) ranks by the taste groups alone. */
  readonly neighbourWeight?: number;
  /**
   * The live catalogue (cached per version): checks `genre` and names movies the clusters' counts did not
   * bring, read alongside the user's data (every Lambda has it; without it genres are not checked).
   */
  readonly catalogue?: CatalogueReader;
}

/**
 * Recommendations from the user's taste cluster(s), explained; never a movie the user has. A user with no
 * history gets the popular list, labelled as such. Parse, recommend() (shared/domain/ranking), respond.
 */
export function createHandler(deps: Deps): ApiHandler {
  return personalHandler(deps.caller, async (event) => {
    const { userId } = parsePath(event, pathSchema);
    const { limit, offset, genre } = parseQuery(event, querySchema, { repeatable: ["genre"] });
    const body = await recommend(
      deps.store,
      { userId, limit, offset, genre, neighbourWeight: deps.neighbourWeight ?? 0 },
      deps.catalogue,
    );
    return { statusCode: 200, body };
  });
}
