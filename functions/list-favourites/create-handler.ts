import type { FavouriteLister } from "../../shared/domain/ports.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { parsePath, parseQuery } from "../../shared/http/request-schemas.js";
import { userPath as pathSchema, favouritesQuery as querySchema } from "../../shared/http/route-contracts.js";

/** Dependencies of GET /users/{userId}/favourites. */
export interface Deps {
  readonly store: FavouriteLister;
  /** Who may call: the token settings and the account links (a `{userId}` must be the caller's own). */
  readonly caller: CallerAuth;
}

/** A page of the user's favourites ordered by movie id; pass `nextCursor` back as `cursor` for the next page. */
export function createHandler(deps: Deps): ApiHandler {
  return personalHandler(deps.caller, async (event) => {
    const { userId } = parsePath(event, pathSchema);
    const { limit, cursor } = parseQuery(event, querySchema);
    const page = await deps.store.listFavourites(userId, { limit, cursor: cursor ?? null });
    return { statusCode: 200, body: { userId, items: page.items, nextCursor: page.nextCursor } };
  });
}
