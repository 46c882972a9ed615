import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { ROUTES, routeKeyOf } from "../constants.js";
import { type ApiTelemetry, errorsOnlyTelemetry, type RequestScope } from "../telemetry/api-telemetry.js";
import { defaultApiTelemetry } from "../telemetry/powertools-telemetry.js";
import { authorizeCaller, type Caller, type CallerAuth } from "./caller.js";
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
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Where an API function's telemetry goes: a {@link ApiTelemetry} (default: Powertools logs, metrics and traces,
 * shared/telemetry/powertools-telemetry.ts), or a function that only receives unexpected errors (tests).
 */
export type TelemetryOption = ApiTelemetry | ((error: unknown, event: APIGatewayProxyEventV2) => void);

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

function telemetryOf(option: TelemetryOption | undefined): ApiTelemetry {
  if (option === undefined) return defaultApiTelemetry();
  return typeof option === "function" ? errorsOnlyTelemetry(option) : option;
}

/** Route keys of the personal routes (shared/constants.ts ROUTES, `personal: true`). */
const PERSONAL_ROUTE_KEYS: ReadonlySet<string> = new Set(
  ROUTES.filter((route) => route.personal).map(routeKeyOf),
);

/** True when the route table marks this route key (`GET /users/{userId}/favourites`) as personal. */
function isPersonalRoute(routeKey: string): boolean {
  return PERSONAL_ROUTE_KEYS.has(routeKey);
}

/**
 * Checks the raw path first (API Gateway passes malformed escapes and dot segments through), serialises the
 * result as JSON, and turns any thrown error into the one error mapping's response. Telemetry is opened when
 * the event arrives and ended with the answer; a 5xx's error goes to it, never to the client.
 */
function wrap(
  handle: (event: APIGatewayProxyEventV2, scope: RequestScope) => Promise<ApiResult>,
  telemetry: TelemetryOption | undefined,
): ApiHandler {
  return async (event, context) => {
    const scope = telemetryOf(telemetry).begin(event, context);
    try {
      if (event.rawPath !== undefined) checkRawPath(event.rawPath);
      const result = await handle(event, scope);
      scope.end(result.statusCode, result.body);
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
      if (response.statusCode >= 500) scope.unexpected(error);
      scope.end(response.statusCode, response.body);
      return {
        statusCode: response.statusCode,
        headers: { ...JSON_HEADERS, ...response.headers },
        body: JSON.stringify(response.body),
      };
    }
  };
}

/** Thrown when a personal route's handler was built with apiHandler instead of personalHandler. */
class PublicHandlerOnPersonalRouteError extends Error {
  override readonly name = "PublicHandlerOnPersonalRouteError";
}

/**
 * Wraps a public route's logic: serialises its result as JSON, and turns any thrown error into the one error
 * mapping's response (5xx are logged with their cause; the client sees only `{ error, message }`). Fails
 * closed: called for a route the route table marks personal, it answers 500 and runs nothing.
 */
export function apiHandler(
  handle: (event: APIGatewayProxyEventV2) => Promise<ApiResult>,
  telemetry?: TelemetryOption,
): ApiHandler {
  return wrap(async (event) => {
    if (isPersonalRoute(event.routeKey)) {
      throw new PublicHandlerOnPersonalRouteError(
        `${event.routeKey} is personal in ROUTES; its handler must be built with personalHandler`,
      );
    }
    return handle(event);
  }, telemetry);
}

/**
 * Wraps a personal route's logic like apiHandler, after the one ownership check every personal route shares
 * (shared/http/caller.ts): 401 without a valid access token, 403 when the path's `{userId}` is not the
 * caller's. Only then does `handle` run, with the caller.
 */
export function personalHandler(
  auth: CallerAuth,
  handle: (event: APIGatewayProxyEventV2, caller: Caller) => Promise<ApiResult>,
  telemetry?: TelemetryOption,
): ApiHandler {
  return wrap(async (event, scope) => {
    const caller = await authorizeCaller(event, auth);
    scope.identify(caller.userId);
    return handle(event, caller);
  }, telemetry);
}
