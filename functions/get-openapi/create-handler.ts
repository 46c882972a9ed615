import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { openApiDocument } from "../../shared/http/openapi.js";

/** GET /openapi.json needs nothing but the route contracts. */
export type Deps = Record<string, never>;

/** The OpenAPI 3.1 document of every route, generated once per container from the route contracts. */
export function createHandler(_deps: Deps = {}): ApiHandler {
  const document = openApiDocument();
  return apiHandler(async () => ({ statusCode: 200, body: document }));
}
