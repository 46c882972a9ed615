import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { toErrorResponse } from "./error-response.js";
import { checkRawPath } from "./raw-request.js";

/** What a route's logic returns: a status and a JSON body (none for 204), or a non-JSON text body. */
export interface ApiResult {
  readonly statusCode: number;
  readonly body?: unknown;
  /** A text body of another type (the SVG chart), sent as it is. */
  readonly raw?: { readonly contentType: string; readonly text: string };
}

/** A Lambda handler for API Gateway HTTP API (payload v2) events. */
export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** Where unexpected errors are reported (never to the client). Default: one JSON line on stderr. */
export type ErrorLogger = (error: unknown, event: APIGatewayProxyEventV2) => void;

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

function describe(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, stack: error.stack, cause: describe(error.cause) };
}

const defaultLogger: ErrorLogger = (error, event) => {
  console.error(
    JSON.stringify({
      level: "ERROR",
      routeKey: event.routeKey,
      requestId: event.requestContext?.requestId,
      error: describe(error),
    }),
  );
};

/**
 * Wraps a route's logic: checks the raw path first (API Gateway passes malformed escapes and dot segments
 * through), serialises the result as JSON, and turns any thrown error into the one error mapping's
 * response (5xx are logged with their cause; the client sees only `{ error, message }`).
 */
export function apiHandler(
  handle: (event: APIGatewayProxyEventV2) => Promise<ApiResult>,
  logError: ErrorLogger = defaultLogger,
): ApiHandler {
  return async (event) => {
    try {
      if (event.rawPath !== undefined) checkRawPath(event.rawPath);
      const result = await handle(event);
      if (result.raw !== undefined) {
        return {
          statusCode: result.statusCode,
          headers: { "content-type": result.raw.contentType },
          body: result.raw.text,
        };
      }
      if (result.body === undefined) return { statusCode: result.statusCode };
      return { statusCode: result.statusCode, headers: JSON_HEADERS, body: JSON.stringify(result.body) };
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.statusCode >= 500) logError(error, event);
      return { statusCode: response.statusCode, headers: JSON_HEADERS, body: JSON.stringify(response.body) };
    }
  };
}
