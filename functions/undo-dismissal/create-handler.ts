import type { DismissalWriter } from "../../shared/domain/ports.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { parsePath } from "../../shared/http/request-schemas.js";
import { userMoviePath as pathSchema } from "../../shared/http/route-contracts.js";

/** Dependencies of DELETE /users/{userId}/dismissed/{movieId}. */
export interface Deps {
  readonly store: DismissalWriter;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Epoch milliseconds; Date.now by default. */
  readonly now?: () => number;
}

/** Undoes a dismissal (204): the movie may be recommended again; 404 when it is not dismissed. */
export function createHandler(deps: Deps): ApiHandler {
  const now = deps.now ?? Date.now;
  return personalHandler(deps.caller, async (event) => {
    const { userId, movieId } = parsePath(event, pathSchema);
    await deps.store.undoDismissal(userId, movieId, now());
    return { statusCode: 204 };
  });
}
