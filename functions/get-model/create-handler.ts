import type { ModelReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of GET /model. */
export interface Deps {
  readonly store: ModelReader;
}

/**
 * The active model's metadata, its k-selection report and where the report files are; 404 before any model.
 * `kSelectionChart` is a URL of this API that serves the chart (GET /model/k-selection.svg).
 */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const info = await deps.store.modelInfo();
    const host = event.headers?.host ?? event.requestContext?.domainName;
    const scheme = event.headers?.["x-forwarded-proto"] ?? "https";
    const chart = host ? `${scheme}://${host}/model/k-selection.svg` : "/model/k-selection.svg";
    return { statusCode: 200, body: { ...info, kSelectionChart: chart } };
  });
}
