import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { DEFAULT_CLIENT_TIMING, DEFAULT_RETRY, type TableRef } from "../../shared/adapters/dynamo-client.js";
import { createTable } from "../../shared/adapters/dynamo-table.js";

/** A fresh, uniquely named table in the test run's DynamoDB Local. */
export async function createTestTable(prefix: string): Promise<TableRef> {
  const client = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    // As production: the SDK's standard retries (a socket DynamoDB Local closed while idle is retried).
    retryMode: "standard",
    maxAttempts: DEFAULT_CLIENT_TIMING.maxAttempts,
    // The concurrency tests queue thousands of requests on purpose; no warning about waiting for a socket.
    requestHandler: { socketAcquisitionWarningTimeout: 600_000 },
  });
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTable(client, tableName);
  return { client, tableName, retry: DEFAULT_RETRY };
}
