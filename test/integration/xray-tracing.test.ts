import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/**
 * X-Ray tracing as a deployed API function has it: the Lambda environment (trace header, daemon address,
 * POWERTOOLS_TRACE_ENABLED as the stack sets it) is set before the modules load, a UDP socket stands in for
 * the X-Ray daemon, and the function's DynamoDB client calls the run's DynamoDB Local. The subsegments the
 * X-Ray SDK streams to the daemon are what is asserted. Project modules are imported only after the
 * environment is set (the tracer reads it at import, as at a cold start).
 */

const daemon = createSocket("udp4");
const received: Record<string, any>[] = [];
const TRACE_ID = "1-67890abc-0123456789abcdef01234567";

beforeAll(async () => {
  await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
  daemon.on("message", (message) => {
    // Each datagram: a JSON header line, then the (sub)segment document.
    const [, document] = message.toString("utf8").split("\n");
    if (document !== undefined) received.push(JSON.parse(document) as Record<string, any>);
  });
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: "cinecluster-get-model",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    LAMBDA_TASK_ROOT: "/var/task",
    POWERTOOLS_TRACE_ENABLED: "true",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
  });
});

afterAll(() => {
  daemon.close();
});

describe("X-Ray tracing of an API function", () => {
  it("traces the request as a subsegment, with the DynamoDB call inside it", async () => {
    const { createTable } = await import("../../shared/adapters/dynamo-table.js");
    const { apiEvent } = await import("../helpers/api-event.js");
    const { tracer } = await import("../../shared/telemetry/tracer.js");
    const { createDynamoClient } = await import("../../shared/adapters/dynamo-client.js");
    const { apiHandler } = await import("../../shared/http/api-handler.js");
    expect(tracer?.isTracingEnabled()).toBe(true);
    const client = createDynamoClient({ region: "us-east-1", endpoint: inject("dynamoEndpoint") });
    const tableName = `xray-${Date.now()}`;
    await createTable(client, tableName);
    const { GetItemCommand } = await import("@aws-sdk/client-dynamodb");
    received.length = 0;

    const handler = apiHandler(async () => {
      await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: "a" }, sk: { S: "b" } } }),
      );
      return { statusCode: 200, body: {} };
    });
    expect((await handler(apiEvent({ routeKey: "GET /model" }))).statusCode).toBe(200);
    await expect
      .poll(() => received.map((segment) => segment.name), { timeout: 5_000 })
      .toContain("## get-model");

    const request = received.find((segment) => segment.name === "## get-model")!;
    expect(request.trace_id).toBe(TRACE_ID);
    expect(request.annotations).toMatchObject({
      ColdStart: expect.any(Boolean),
      Service: "cinecluster-api",
      route: "get-model",
    });
    // Streamed on its own (with the request's id as parent) or nested in the request's subsegment.
    const getItem = [...(request.subsegments ?? []), ...received].find(
      (segment: Record<string, any>) => segment.name === "DynamoDB" && segment.aws?.operation === "GetItem",
    );
    expect(getItem).toMatchObject({ namespace: "aws", aws: { table_name: tableName } });
    if (getItem.parent_id !== undefined) expect(getItem.parent_id).toBe(request.id);
  });
});
