import type { FavouriteWriter } from "../../shared/domain/ports.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { parseJsonBody, parsePath } from "../../shared/http/request-schemas.js";
import { movieIdBody as bodySchema, userPath as pathSchema } from "../../shared/http/route-contracts.js";

/** Dependencies of POST /users/{userId}/favourites. */
export interface Deps {
  readonly store: FavouriteWriter;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Epoch milliseconds; Date.now by default. */
  readonly now?: () => number;
}

/** Records a favourite exactly once: 201 when new, 200 when it already was one; 404 for an unknown movie. */
export function createHandler(deps: Deps): ApiHandler {
  const now = deps.now ?? Date.now;
  return personalHandler(deps.caller, async (event) => {
    const { userId } = parsePath(event, pathSchema);
    const { movieId } = parseJsonBody(event, bodySchema);
    const { created } = await deps.store.recordFavourite(userId, movieId, now());
    return { statusCode: created ? 201 : 200, body: { userId, movieId, created } };
  });
}
