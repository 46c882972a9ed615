import type { ActiveVersionReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of GET /health. */
export interface Deps {
  readonly store: ActiveVersionReader;
}

/** 200 with the active model version (null before the first training run) when the table answers. */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async () => {
    const version = await deps.store.activeVersion();
    return { statusCode: 200, body: { status: "ok", modelVersion: version } };
  });
}
