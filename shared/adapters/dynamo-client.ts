import {
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import type { StoreConfig } from "../config.js";
import { type Item, S } from "./dynamo-codec.js";
import { DEFAULT_RETRY, type DynamoSender, type RetryPolicy, withRetry } from "./dynamo-retry.js";

/** A DynamoDB client bound to the one table, with the retry policy the adapters use. */
export interface TableRef {
  readonly client: DynamoSender;
  readonly tableName: string;
  readonly retry: RetryPolicy;
}

/** Where the SDK client connects, how many sockets it may hold open, and how long it waits. */
export interface DynamoClientOptions {
  readonly region: string;
  /** DynamoDB Local's address; absent for AWS (default credential chain). */
  readonly endpoint?: string | undefined;
  /** Most sockets open at once; absent: the SDK's default agent (keep-alive, 50 sockets). */
  readonly maxSockets?: number;
  /** Attempts per call under the SDK's standard retry strategy. Default {@link DEFAULT_CLIENT_TIMING}. */
  readonly maxAttempts?: number;
  /** Milliseconds to open a connection before the attempt fails (and is retried). */
  readonly connectionTimeoutMs?: number;
  /** Milliseconds a socket may stay silent during one attempt before it fails (and is retried). */
  readonly requestTimeoutMs?: number;
}

/**
 * Defaults of the client's retries and timeouts. 4 attempts: DynamoDB Local closes an idle keep-alive
 * socket after ~30 s and real DynamoDB and load balancers do the same on their own schedules, so a reused
 * socket's `socket hang up` must be retried. 1 s to connect (loopback or the regional endpoint answer in
 * milliseconds); 5 s of silence in one attempt (a 25-item BatchWriteItem on a busy DynamoDB Local takes
 * well under a second; a stalled store never answers).
 */
export const DEFAULT_CLIENT_TIMING = { maxAttempts: 4, connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000 };

/**
 * Creates the SDK client the adapters use. Retries are the SDK's own standard strategy (exponential backoff
 * with jitter and a retry quota; it retries network errors, timeouts, throttling and 5xx), and every
 * attempt has a connection and a request timeout (NodeHttpHandler's), so no call can hang. The adapters keep
 * hand-written retries only for what the SDK cannot know: BatchWriteItem's UnprocessedItems and the reasons a
 * transaction was cancelled (dynamo-retry.ts, dynamo-favourites.ts). The SDK's agent keeps sockets alive
 * between calls. The SDK's logger middleware is removed: no logger is configured, yet it copied every
 * response through the schema's sensitive-data filter for the no-op logger, a fifth of the client's CPU time.
 */
export function createDynamoClient(options: DynamoClientOptions): DynamoDBClient {
  const agent =
    options.maxSockets === undefined ? undefined : { keepAlive: true, maxSockets: options.maxSockets };
  const client = new DynamoDBClient({
    region: options.region,
    retryMode: "standard",
    maxAttempts: options.maxAttempts ?? DEFAULT_CLIENT_TIMING.maxAttempts,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CLIENT_TIMING.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_CLIENT_TIMING.requestTimeoutMs,
      // Without it this SDK version only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
    },
    // DynamoDB Local accepts any credentials made of letters and digits; AWS uses the default chain.
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  client.middlewareStack.remove("loggerMiddleware");
  return client;
}

/**
 * Creates the DynamoDB client (createDynamoClient) for the configured table, with the default retry policy;
 * `timing` overrides the client's attempts and timeouts.
 */
export function createTableRef(
  config: StoreConfig,
  timing: Pick<DynamoClientOptions, "maxAttempts" | "connectionTimeoutMs" | "requestTimeoutMs"> = {},
): TableRef {
  const client = createDynamoClient({ region: config.region, endpoint: config.dynamoEndpoint, ...timing });
  return { client, tableName: config.tableName, retry: DEFAULT_RETRY };
}

/** Reads one item by key (GetItem, retried; `consistent`: strongly consistent); undefined when absent. */
export async function getItem(
  table: TableRef,
  key: { readonly pk: string; readonly sk: string },
  options: { readonly consistent?: boolean } = {},
): Promise<Item | undefined> {
  const output = await withRetry(
    "GetItem",
    () =>
      table.client.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: { pk: S(key.pk), sk: S(key.sk) },
          ...(options.consistent ? { ConsistentRead: true } : {}),
        }),
      ),
    table.retry,
  );
  return output.Item as Item | undefined;
}

/** Writes one item (PutItem, retried); `input` is PutItem's input without the table. */
export async function putItem(table: TableRef, input: Omit<PutItemCommandInput, "TableName">): Promise<void> {
  await withRetry(
    "PutItem",
    () => table.client.send(new PutItemCommand({ TableName: table.tableName, ...input })),
    table.retry,
  );
}

/** Updates one item (UpdateItem, retried); `input` is UpdateItem's input without the table. */
export async function updateItem(
  table: TableRef,
  input: Omit<UpdateItemCommandInput, "TableName">,
): Promise<void> {
  await withRetry(
    "UpdateItem",
    () => table.client.send(new UpdateItemCommand({ TableName: table.tableName, ...input })),
    table.retry,
  );
}

/** Deletes one item (DeleteItem, retried); `input` is DeleteItem's input without the table. */
export async function deleteItem(
  table: TableRef,
  input: Omit<DeleteItemCommandInput, "TableName">,
): Promise<void> {
  await withRetry(
    "DeleteItem",
    () => table.client.send(new DeleteItemCommand({ TableName: table.tableName, ...input })),
    table.retry,
  );
}
