import * as z from "zod/mini";
import type { ApiStore } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { parsePath, positiveId } from "../../shared/http/request-schemas.js";

/** Dependencies of DELETE /users/{userId}/favourites/{movieId}. */
export interface Deps {
  readonly store: ApiStore;
  /** Epoch milliseconds; Date.now by default. */
  readonly now?: () => number;
}

const pathSchema = z.object({ userId: positiveId, movieId: positiveId });

/** Removes a favourite (204); 404 when the movie is not one of the user's favourites. */
export function createHandler(deps: Deps): ApiHandler {
  const now = deps.now ?? Date.now;
  return apiHandler(async (event) => {
    const { userId, movieId } = parsePath(event, pathSchema);
    await deps.store.removeFavourite(userId, movieId, now());
    return { statusCode: 204 };
  });
}
