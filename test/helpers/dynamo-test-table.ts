import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { DEFAULT_RETRY } from "../../shared/adapters/dynamo-retry.js";
import { createTable } from "../../shared/adapters/dynamo-table.js";

/** A fresh, uniquely named table in the test run's DynamoDB Local. */
export async function createTestTable(prefix: string): Promise<TableRef> {
  const client = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    // The concurrency tests queue thousands of requests on purpose; no warning about waiting for a socket.
    requestHandler: { socketAcquisitionWarningTimeout: 600_000 },
  });
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTable(client, tableName);
  return { client, tableName, retry: DEFAULT_RETRY };
}
