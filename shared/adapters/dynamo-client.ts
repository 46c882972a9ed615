import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { StoreConfig } from "../config.js";
import { DEFAULT_RETRY, type DynamoSender, type RetryPolicy } from "./dynamo-retry.js";

/** A DynamoDB client bound to the one table, with the retry policy the adapters use. */
export interface TableRef {
  readonly client: DynamoSender;
  readonly tableName: string;
  readonly retry: RetryPolicy;
}

/**
 * Creates the DynamoDB client for the configured table. The SDK's own retries are off (maxAttempts 1):
 * the adapters retry throttling themselves, with backoff and jitter, so a fault is retried in one place.
 */
export function createTableRef(config: StoreConfig): TableRef {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: 1,
    // DynamoDB Local accepts any credentials made of letters and digits; AWS uses the default chain.
    ...(config.dynamoEndpoint
      ? { endpoint: config.dynamoEndpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  return { client, tableName: config.tableName, retry: DEFAULT_RETRY };
}
