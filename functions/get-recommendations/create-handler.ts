import type { CatalogueReader, RecommendationReader } from "../../shared/domain/ports.js";
import { recommend } from "../../shared/domain/ranking/recommend.js";
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
  readonly store: RecommendationReader;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Weight of the item-neighbour blend in rankMovies; 0 (the default) ranks by the taste groups alone. */
  readonly neighbourWeight?: number;
  /** The live model's genres, to check `genre` against (every Lambda has it; without it nothing is checked). */
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
    const genres = await genreFilterOf(genre, deps.catalogue);
    const body = await recommend(deps.store, {
      userId,
      limit,
      offset,
      genres,
      neighbourWeight: deps.neighbourWeight ?? 0,
    });
    return { statusCode: 200, body };
  });
}
