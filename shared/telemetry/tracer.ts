import { Tracer } from "@aws-lambda-powertools/tracer";
import { loadTelemetryConfig } from "../config.js";
import { API_METRICS } from "../constants.js";

/**
 * The one X-Ray tracer of a function (Powertools Tracer), shared by the handler wrapper (a subsegment per
 * request) and the DynamoDB client (a subsegment per call). Off unless the stack sets `POWERTOOLS_TRACE_ENABLED`
 * (API functions only), and Powertools keeps it off outside Lambda, so `npm start` and the tests never need
 * X-Ray. Outgoing HTTP is not captured separately: the only outgoing calls are the SDK's, traced by client.
 */
export const tracer = new Tracer({
  serviceName: API_METRICS.service,
  enabled: loadTelemetryConfig().tracing,
  captureHTTPsRequests: false,
});

/** Traces an AWS SDK v3 client's calls as X-Ray subsegments when tracing is on; returns the same client. */
export function traceAwsClient<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
