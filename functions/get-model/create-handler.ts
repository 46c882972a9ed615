import type { ApiStore } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of GET /model. */
export interface Deps {
  readonly store: ApiStore;
}

/** The active model's metadata, its k-selection report and where the report files are; 404 before any model. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async () => {
    const info = await deps.store.modelInfo();
    return { statusCode: 200, body: info };
  });
}
