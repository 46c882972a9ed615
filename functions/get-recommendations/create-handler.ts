import type { ApiStore } from "../../shared/domain/store.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of this function. */
export interface Deps {
  readonly store: ApiStore;
}

/** Builds the handler (placeholder until the route's logic lands). */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async () => {
    await deps.store.activeVersion();
    return { statusCode: 501, body: { error: "NotImplemented", message: "not implemented yet" } };
  });
}
