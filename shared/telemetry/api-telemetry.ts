import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { API_METRICS, ROUTES, routeKeyOf } from "../constants.js";

/**
 * What the API handler wrapper (shared/http/api-handler.ts) reports about each request: a scope opened when
 * the event arrives and ended with the status. The Powertools implementation (powertools-telemetry.ts) logs,
 * writes metrics and traces; {@link errorsOnlyTelemetry} only hands unexpected errors to a callback.
 */

/** One request's telemetry, opened by {@link ApiTelemetry.begin}. */
export interface RequestScope {
  /** The verified caller of a personal route: their user id joins every later log line. */
  identify(userId: number | null): void;
  /** An unexpected error (answered 5xx): logged with its cause, never shown to the client. */
  unexpected(error: unknown): void;
  /** The answer: latency, 4xx/5xx and the route's outcome metrics are recorded, the request's log line written. */
  end(statusCode: number, body: unknown): void;
}

/** Opens a {@link RequestScope} per request. */
export interface ApiTelemetry {
  begin(event: APIGatewayProxyEventV2, context: Context | undefined): RequestScope;
}

/** A metric a route's answer adds to the per-request ones (a count of 1). */
export interface OutcomeMetric {
  readonly name: string;
  readonly value: number;
}

const ROUTE_NAMES: ReadonlyMap<string, string> = new Map(
  ROUTES.map((route) => [routeKeyOf(route), route.functionName]),
);

/** The `route` dimension of an event: the function name ROUTES gives its route key, else the route key itself. */
export function routeNameOf(routeKey: string | undefined): string {
  if (routeKey === undefined || routeKey === "") return "unknown";
  return ROUTE_NAMES.get(routeKey) ?? routeKey;
}

function sourceOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("source" in body)) return undefined;
  return typeof body.source === "string" ? body.source : undefined;
}

/**
 * The business metrics a route's answer stands for, read from its status and body: a favourite newly recorded
 * (201) or removed (204), and the source of a recommendation list (cluster, placed-cluster, popular).
 */
export function outcomeMetrics(route: string, statusCode: number, body: unknown): OutcomeMetric[] {
  if (route === "record-favourite" && statusCode === 201) {
    return [{ name: API_METRICS.favouritesRecorded, value: 1 }];
  }
  if (route === "remove-favourite" && statusCode === 204) {
    return [{ name: API_METRICS.favouritesRemoved, value: 1 }];
  }
  if (route === "get-recommendations" && statusCode === 200) {
    const source = sourceOf(body);
    const names: Readonly<Record<string, string>> = API_METRICS.recommendationSource;
    const name = source === undefined ? undefined : names[source];
    return name === undefined ? [] : [{ name, value: 1 }];
  }
  return [];
}

/** Telemetry that only hands unexpected errors to `report` (tests that check what a 5xx logs). */
export function errorsOnlyTelemetry(
  report: (error: unknown, event: APIGatewayProxyEventV2) => void,
): ApiTelemetry {
  return {
    begin: (event) => ({
      identify: () => undefined,
      unexpected: (error) => report(error, event),
      end: () => undefined,
    }),
  };
}
