import type { Tracer } from "@aws-lambda-powertools/tracer";
import { loadTelemetryConfig } from "../config.js";
import { API_METRICS } from "../constants.js";

/**
 * The one X-Ray tracer of a function (Powertools Tracer), shared by the handler wrapper (a subsegment per
 * request) and the DynamoDB client (a subsegment per call); undefined unless the stack sets
 * `POWERTOOLS_TRACE_ENABLED` (API functions only), so `npm start` and the tests never need X-Ray. Outgoing HTTP
 * is not captured separately: the only outgoing calls are the SDK's, traced by client.
 *
 * Imported only when tracing is on. Powertools Tracer loads aws-xray-sdk-core, which at import creates a
 * cls-hooked namespace: async hooks with destroy tracking on every promise, whether tracing is on or not
 * (aws/aws-xray-sdk-node#420). Measured here (Node 24): 1 M promises took 2.5-2.8 s with the module loaded
 * against 0.56-0.60 s without, 1.1-1.2 s of it in GC against 0.17-0.22 s; in the warm recommendation handler
 * it was the largest part of each young-generation collection (docs/performance.md).
 */
export const tracer: Tracer | undefined = loadTelemetryConfig().tracing ? await createTracer() : undefined;

async function createTracer(): Promise<Tracer> {
  const { Tracer } = await import("@aws-lambda-powertools/tracer");
  return new Tracer({ serviceName: API_METRICS.service, enabled: true, captureHTTPsRequests: false });
}

/** Traces an AWS SDK v3 client's calls as X-Ray subsegments when tracing is on; returns the same client. */
export function traceAwsClient<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
