import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadTelemetryConfig } from "../../../shared/config.js";
import { API_METRICS } from "../../../shared/constants.js";
import { StoreError, ValidationError } from "../../../shared/domain/errors.js";
import { apiHandler, personalHandler } from "../../../shared/http/api-handler.js";
import { outcomeMetrics, routeNameOf } from "../../../shared/telemetry/api-telemetry.js";
import {
  createPowertoolsParts,
  powertoolsApiTelemetry,
} from "../../../shared/telemetry/powertools-telemetry.js";
import { tracer } from "../../../shared/telemetry/tracer.js";
import { apiEvent } from "../../helpers/api-event.js";
import { subjectOf, TEST_AUTH } from "../../helpers/callers.js";

/** Every JSON line written to stdout or stderr while the test runs (Powertools logs and EMF records). */
function captureOutput(): () => Record<string, any>[] {
  const writes: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(record);
  vi.spyOn(process.stderr, "write").mockImplementation(record);
  return () =>
    writes
      .join("")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, any>);
}

const emfOf = (lines: Record<string, any>[]) => lines.filter((line) => line._aws !== undefined);
const logsOf = (lines: Record<string, any>[]) => lines.filter((line) => line._aws === undefined);

const lambdaContext = {
  functionName: "cinecluster-record-favourite",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:cinecluster-record-favourite",
  memoryLimitInMB: "256",
  awsRequestId: "lambda-request-1",
} as Context;

/** The telemetry a deployed API function has: INFO logs and EMF metrics (tracing needs Lambda's X-Ray). */
const inLambda = () =>
  powertoolsApiTelemetry(createPowertoolsParts({ inLambda: true, tracing: false, logLevel: "INFO" }));

/** Personal routes' auth over an in-memory account link: subject of user 7 -> 7. */
const auth = {
  ...TEST_AUTH,
  accounts: { userIdOf: async (subject: string) => (subject === subjectOf(7) ? 7 : null) },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("API telemetry in Lambda (Powertools Logger and Metrics)", () => {
  it("logs the request id, route, Lambda context and user id, and writes one EMF record per request", async () => {
    const lines = captureOutput();
    const handler = personalHandler(
      auth,
      async () => ({ statusCode: 201, body: { created: true } }),
      inLambda(),
    );
    const event = apiEvent({ routeKey: "POST /users/{userId}/favourites", pathParameters: { userId: "7" } });
    expect((await handler(event, lambdaContext)).statusCode).toBe(201);

    const [log, ...otherLogs] = logsOf(lines());
    expect(otherLogs).toEqual([]);
    expect(log).toMatchObject({
      level: "INFO",
      message: "request",
      service: API_METRICS.service,
      requestId: "test-request",
      route: "record-favourite",
      userId: 7,
      statusCode: 201,
      function_request_id: "lambda-request-1",
      function_name: "cinecluster-record-favourite",
    });
    expect(typeof log!.latencyMs).toBe("number");

    const [emf, ...otherEmf] = emfOf(lines());
    expect(otherEmf).toEqual([]);
    expect(emf).toMatchObject({
      service: API_METRICS.service,
      route: "record-favourite",
      ClientErrors: 0,
      ServerErrors: 0,
      FavouritesRecorded: 1,
    });
    expect(emf!.Latency).toBeGreaterThanOrEqual(0);
    const directive = emf!._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe("cinecluster");
    expect(directive.Dimensions).toEqual([["service", "route"]]);
    expect(directive.Metrics).toEqual([
      { Name: "Latency", Unit: "Milliseconds" },
      { Name: "ClientErrors", Unit: "Count" },
      { Name: "ServerErrors", Unit: "Count" },
      { Name: "FavouritesRecorded", Unit: "Count" },
    ]);
  });

  it("counts a 4xx as ClientErrors, and a request's keys do not leak into the next one", async () => {
    const lines = captureOutput();
    const telemetry = inLambda();
    const personal = personalHandler(auth, async () => ({ statusCode: 204 }), telemetry);
    const other = apiHandler(async () => {
      throw new ValidationError("limit", "limit must be a positive integer");
    }, telemetry);
    await personal(
      apiEvent({
        routeKey: "DELETE /users/{userId}/favourites/{movieId}",
        pathParameters: { userId: "7", movieId: "1" },
      }),
    );
    await other(apiEvent({ routeKey: "GET /movies/popular" }));

    const [removed, rejected] = logsOf(lines());
    expect(removed).toMatchObject({ route: "remove-favourite", userId: 7, statusCode: 204 });
    expect(rejected).toMatchObject({ route: "get-popular-movies", statusCode: 400 });
    expect(rejected).not.toHaveProperty("userId");
    const [removedEmf, rejectedEmf] = emfOf(lines());
    expect(removedEmf).toMatchObject({ route: "remove-favourite", FavouritesRemoved: 1, ClientErrors: 0 });
    expect(rejectedEmf).toMatchObject({ route: "get-popular-movies", ClientErrors: 1, ServerErrors: 0 });
    expect(rejectedEmf).not.toHaveProperty("FavouritesRemoved");
  });

  it("counts a 5xx as ServerErrors and logs the error with its cause; the client sees none of it", async () => {
    const lines = captureOutput();
    const handler = apiHandler(async () => {
      throw new StoreError("GetItem failed", { cause: new Error("socket hang up") });
    }, inLambda());
    const result = await handler(apiEvent({ routeKey: "GET /model" }));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain("socket hang up");

    const [error, request] = logsOf(lines());
    expect(error).toMatchObject({
      level: "ERROR",
      message: "unexpected error",
      route: "get-model",
      requestId: "test-request",
      error: { name: "StoreError", message: "GetItem failed", cause: { message: "socket hang up" } },
    });
    expect(request).toMatchObject({ message: "request", statusCode: 500 });
    expect(emfOf(lines())[0]).toMatchObject({ route: "get-model", ClientErrors: 0, ServerErrors: 1 });
  });

  it("records the source of each recommendation list", async () => {
    const lines = captureOutput();
    const telemetry = inLambda();
    const event = apiEvent({
      routeKey: "GET /users/{userId}/recommendations",
      pathParameters: { userId: "7" },
    });
    for (const source of ["cluster", "placed-cluster", "popular"]) {
      await personalHandler(
        auth,
        async () => ({ statusCode: 200, body: { source, items: [] } }),
        telemetry,
      )(event);
    }
    expect(emfOf(lines()).map(({ _aws, Latency, ...rest }) => rest)).toEqual([
      {
        service: API_METRICS.service,
        route: "get-recommendations",
        ClientErrors: 0,
        ServerErrors: 0,
        RecommendationsFromCluster: 1,
      },
      {
        service: API_METRICS.service,
        route: "get-recommendations",
        ClientErrors: 0,
        ServerErrors: 0,
        RecommendationsFromPlacedCluster: 1,
      },
      {
        service: API_METRICS.service,
        route: "get-recommendations",
        ClientErrors: 0,
        ServerErrors: 0,
        RecommendationsFromPopular: 1,
      },
    ]);
  });
});

describe("API telemetry locally (npm start, tests)", () => {
  it("defaults to WARN logs, no metrics and no tracing when not in Lambda", () => {
    expect(loadTelemetryConfig({})).toEqual({ inLambda: false, tracing: false, logLevel: "WARN" });
    expect(loadTelemetryConfig({ AWS_LAMBDA_FUNCTION_NAME: "f", POWERTOOLS_TRACE_ENABLED: "true" })).toEqual({
      inLambda: true,
      tracing: true,
      logLevel: "INFO",
    });
    expect(() => loadTelemetryConfig({ POWERTOOLS_LOG_LEVEL: "loud" })).toThrow(/POWERTOOLS_LOG_LEVEL/);
    // Not even loaded: importing the X-Ray SDK puts async hooks on every promise (tracer.ts).
    expect(tracer).toBeUndefined();
  });

  it("prints nothing for a good or refused request, and one ERROR line for a 5xx", async () => {
    const lines = captureOutput();
    const local = powertoolsApiTelemetry(createPowertoolsParts(loadTelemetryConfig({})));
    await apiHandler(
      async () => ({ statusCode: 200, body: {} }),
      local,
    )(apiEvent({ routeKey: "GET /health" }));
    await personalHandler(
      auth,
      async () => ({ statusCode: 200 }),
      local,
    )(apiEvent({ routeKey: "GET /users/{userId}/favourites", pathParameters: { userId: "8" } }));
    expect(lines()).toEqual([]);
    await apiHandler(async () => {
      throw new Error("boom");
    }, local)(apiEvent({ routeKey: "GET /health" }));
    expect(lines()).toMatchObject([{ level: "ERROR", route: "get-health", error: { message: "boom" } }]);
  });
});

describe("outcome metrics", () => {
  it("name each route by its function and count only real changes", () => {
    expect(routeNameOf("GET /users/{userId}/recommendations")).toBe("get-recommendations");
    expect(routeNameOf("GET /nowhere")).toBe("GET /nowhere");
    expect(routeNameOf(undefined)).toBe("unknown");
    expect(outcomeMetrics("record-favourite", 200, { created: false })).toEqual([]);
    expect(outcomeMetrics("record-favourite", 201, {})).toEqual([{ name: "FavouritesRecorded", value: 1 }]);
    expect(outcomeMetrics("remove-favourite", 404, {})).toEqual([]);
    expect(outcomeMetrics("get-recommendations", 200, { source: "somewhere" })).toEqual([]);
    expect(outcomeMetrics("get-model", 200, { source: "cluster" })).toEqual([]);
  });
});
