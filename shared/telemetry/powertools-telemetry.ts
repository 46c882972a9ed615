import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import { loadTelemetryConfig, type TelemetryConfig } from "../config.js";
import { API_METRICS } from "../constants.js";
import { type ApiTelemetry, outcomeMetrics, type RequestScope, routeNameOf } from "./api-telemetry.js";
import { tracer as sharedTracer } from "./tracer.js";

/** The Powertools parts the API telemetry writes to; `metrics` absent: none are written (locally). */
export interface PowertoolsParts {
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Absent when tracing is off (tracer.ts). */
  readonly tracer?: Tracer | undefined;
}

/** A subsegment of the request in X-Ray, when tracing is on. */
function openSubsegment(tracer: Tracer | undefined, route: string): (() => void) | undefined {
  if (tracer === undefined || !tracer.isTracingEnabled()) return undefined;
  const parent = tracer.getSegment();
  if (parent === undefined) return undefined;
  const subsegment = parent.addNewSubsegment(`## ${route}`);
  tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  tracer.putAnnotation(API_METRICS.routeDimension, route);
  return () => {
    subsegment.close();
    tracer.setSegment(parent);
  };
}

/**
 * Telemetry of an API function on Powertools: every log line carries `requestId` (API Gateway's) and `route`,
 * and the Lambda context (function, cold start, `function_request_id`); a personal route's lines carry the
 * caller's `userId`. Each request ends with one INFO line (status, latency), one EMF record (Latency,
 * ClientErrors, ServerErrors and the route's outcome metrics, dimensions `service` and `route`) and a closed
 * X-Ray subsegment.
 */
export function powertoolsApiTelemetry(parts: PowertoolsParts): ApiTelemetry {
  const { logger, metrics, tracer } = parts;
  return {
    begin(event, context): RequestScope {
      const started = performance.now();
      const route = routeNameOf(event.routeKey);
      logger.resetKeys();
      if (context !== undefined) logger.addContext(context);
      logger.appendKeys({ requestId: event.requestContext?.requestId, route });
      const closeSubsegment = openSubsegment(tracer, route);
      return {
        identify(userId) {
          if (userId !== null) logger.appendKeys({ userId });
        },
        unexpected(error) {
          if (error instanceof Error) logger.error("unexpected error", error);
          else logger.error("unexpected error", { thrown: String(error) });
          if (error instanceof Error) tracer?.addErrorAsMetadata(error);
        },
        end(statusCode, body) {
          const latencyMs = Math.round((performance.now() - started) * 100) / 100;
          if (metrics !== undefined) {
            metrics.addDimension(API_METRICS.routeDimension, route);
            metrics.addMetric(API_METRICS.latency, MetricUnit.Milliseconds, latencyMs);
            metrics.addMetric(
              API_METRICS.clientErrors,
              MetricUnit.Count,
              statusCode >= 400 && statusCode < 500 ? 1 : 0,
            );
            metrics.addMetric(API_METRICS.serverErrors, MetricUnit.Count, statusCode >= 500 ? 1 : 0);
            for (const outcome of outcomeMetrics(route, statusCode, body)) {
              metrics.addMetric(outcome.name, MetricUnit.Count, outcome.value);
            }
            metrics.publishStoredMetrics();
          }
          logger.info("request", { statusCode, latencyMs });
          closeSubsegment?.();
        },
      };
    },
  };
}

/** The Powertools parts of an API function, as `config` says (metrics only in Lambda). */
export function createPowertoolsParts(
  config: TelemetryConfig,
  tracer: Tracer | undefined = sharedTracer,
): PowertoolsParts {
  const logger = new Logger({ serviceName: API_METRICS.service, logLevel: config.logLevel });
  if (!config.inLambda) return { logger, tracer };
  return {
    logger,
    tracer,
    metrics: new Metrics({ namespace: API_METRICS.namespace, serviceName: API_METRICS.service }),
  };
}

let defaultTelemetry: ApiTelemetry | undefined;

/** The telemetry every API handler uses unless given another: created at the first request, from the config. */
export function defaultApiTelemetry(): ApiTelemetry {
  defaultTelemetry ??= powertoolsApiTelemetry(createPowertoolsParts(loadTelemetryConfig()));
  return defaultTelemetry;
}
