import { NotFoundError } from "../../shared/domain/errors.js";
import type { CatalogueReader } from "../../shared/domain/ports.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";

/** Dependencies of GET /model/k-selection.svg. */
export interface Deps {
  readonly catalogue: CatalogueReader;
}

/** The live model's k-selection chart as an SVG image (the link GET /model gives). */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async () => {
    const chart = await deps.catalogue.chart();
    if (!chart) throw new NotFoundError("chart", "the live model stored no k-selection chart");
    return { statusCode: 200, raw: { contentType: "image/svg+xml", text: chart.svg } };
  });
}
