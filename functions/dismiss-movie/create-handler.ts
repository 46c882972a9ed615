import type { DismissalWriter } from "../../shared/domain/ports.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { parseJsonBody, parsePath } from "../../shared/http/request-schemas.js";
import { movieIdBody as bodySchema, userPath as pathSchema } from "../../shared/http/route-contracts.js";

/** Dependencies of POST /users/{userId}/dismissed. */
export interface Deps {
  readonly store: DismissalWriter;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
  /** Epoch milliseconds; Date.now by default. */
  readonly now?: () => number;
}

/**
 * Dismisses a movie ("seen it / not interested") exactly once: 201 when new, 200 when it already was
 * dismissed; 404 for an unknown movie. From the next request on it is never recommended nor a favourite.
 */
export function createHandler(deps: Deps): ApiHandler {
  const now = deps.now ?? Date.now;
  return personalHandler(deps.caller, async (event) => {
    const { userId } = parsePath(event, pathSchema);
    const { movieId } = parseJsonBody(event, bodySchema);
    const { created } = await deps.store.dismissMovie(userId, movieId, now());
    return { statusCode: created ? 201 : 200, body: { userId, movieId, created } };
  });
}
