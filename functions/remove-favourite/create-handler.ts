import type { FavouriteWriter } from "../../shared/domain/ports.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { parsePath } from "../../shared/http/request-schemas.js";
import { userMoviePath as pathSchema } from "../../shared/http/route-contracts.js";

/** Dependencies of DELETE /users/{userId}/favourites/{movieId}. */
export interface Deps {
  readonly store: FavouriteWriter;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Epoch milliseconds; Date.now by default. */
  readonly now?: () => number;
}

/** Removes a favourite (204); 404 when the movie is not one of the user's favourites. */
export function createHandler(deps: Deps): ApiHandler {
  const now = deps.now ?? Date.now;
  return personalHandler(deps.caller, async (event) => {
    const { userId, movieId } = parsePath(event, pathSchema);
    await deps.store.removeFavourite(userId, movieId, now());
    return { statusCode: 204 };
  });
}
