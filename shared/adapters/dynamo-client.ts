/**
 * The DynamoDB client the adapters share: its settings (the SDK's own retry strategy and timeouts), the
 * single-item calls, Query and TransactWriteItems. SDK errors are translated here, where the call is made: a
 * failed condition is an outcome the caller decides on ("condition-failed", or the items of a cancelled
 * transaction whose condition failed), throttling that outlasted the SDK's retries a ThrottledError, a store
 * that did not answer a StoreUnavailableError, anything else a StoreError with the SDK error as `cause`.
 */
import { randomUUID } from "node:crypto";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  TransactionInProgressException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import type { StoreConfig } from "../config.js";
import { DomainError, StoreError, StoreUnavailableError, ThrottledError } from "../domain/errors.js";
import { traceAwsClient } from "../telemetry/tracer.js";
import { type Item, S } from "./dynamo-codec.js";
import { isStoreUnreachable, RETRY_AFTER_SECONDS } from "./dynamo-deadline.js";

/** The one method of the SDK client the adapters use; a test can wrap a real client to inject faults. */
export type DynamoSender = Pick<DynamoDBClient, "send">;

/**
 * Backoff for the retries the SDK cannot make because it cannot know they are due: BatchWriteItem's
 * UnprocessedItems, BatchGetItem's UnprocessedKeys, a transaction cancelled for conflicts, and a single-item
 * write that met a running transaction (TransactionConflictException, a 400 the SDK does not retry). Full
 * jitter over an exponentially growing cap.
 */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** Waits `ms`; tests may pass a no-op so retries do not slow them down. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for jitter. */
  readonly random: () => number;
}

/** Default policy: 8 attempts, 20 ms base, 1 s cap. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  baseMs: 20,
  maxMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** A DynamoDB client bound to the one table, with the backoff of the retries the adapters make themselves. */
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
 * with jitter and a retry quota; it retries throttling, 5xx, network errors and timeouts, resending the same
 * serialised request, so a transaction keeps its ClientRequestToken), and every attempt has a connection
 * and a request timeout (NodeHttpHandler's), so no call can hang. The adapters retry by hand only what the
 * SDK cannot know is due (see {@link RetryPolicy}). The SDK's agent keeps sockets alive between calls. The
 * SDK's logger middleware is removed: no logger is configured, yet it copied every response through the
 * schema's sensitive-data filter for the no-op logger, a fifth of the client's CPU time.
 * When the function traces (shared/telemetry/tracer.ts), each call is an X-Ray subsegment.
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
  return traceAwsClient(client);
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

/** The delay before retry number `attempt` (0-based): uniform in [0, min(max, base * 2^attempt)). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return policy.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
}

/** Throttling the SDK's retries did not outlast (it retries these itself first). */
function isThrottled(error: unknown): boolean {
  return (
    error instanceof ProvisionedThroughputExceededException ||
    error instanceof ThrottlingException ||
    error instanceof RequestLimitExceeded ||
    error instanceof TransactionInProgressException ||
    (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 429
  );
}

/**
 * A failed call as a domain error: domain errors pass unchanged; throttling (after the SDK's retries) or
 * contention (after ours) is a ThrottledError; a store that did not answer is a StoreUnavailableError;
 * anything else a StoreError with the SDK error as `cause`.
 */
export function translateError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  if (isThrottled(error) || error instanceof TransactionConflictException) {
    return new ThrottledError(`DynamoDB ${what} still throttled after the retries`, { cause: error });
  }
  if (isStoreUnreachable(error)) {
    // The SDK's standard retries (network errors, timeouts, 5xx) are spent: the store is down or stalled.
    return new StoreUnavailableError(`DynamoDB ${what}: the store did not answer`, RETRY_AFTER_SECONDS, {
      cause: error,
    });
  }
  return new StoreError(`DynamoDB ${what} failed`, { cause: error });
}

/**
 * Runs one SDK call (which the SDK has already retried as far as it can) and translates its failure
 * (translateError). A TransactionConflictException (this write met a running transaction on the same item;
 * the SDK classes it as a client error and does not retry it) is retried here with `policy`'s backoff.
 */
export async function callDynamo<T>(what: string, run: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof TransactionConflictException) || attempt + 1 >= policy.attempts) {
        throw translateError(error, what);
      }
      await policy.sleep(backoffMs(policy, attempt));
    }
  }
}

/** Reads one item by key (GetItem; `consistent`: strongly consistent); undefined when absent. */
export async function getItem(
  table: TableRef,
  key: { readonly pk: string; readonly sk: string },
  options: { readonly consistent?: boolean; readonly projection?: string } = {},
): Promise<Item | undefined> {
  const output = await callDynamo(
    "GetItem",
    () =>
      table.client.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: { pk: S(key.pk), sk: S(key.sk) },
          ...(options.consistent ? { ConsistentRead: true } : {}),
          ...(options.projection ? { ProjectionExpression: options.projection } : {}),
        }),
      ),
    table.retry,
  );
  return output.Item as Item | undefined;
}

type Unconditional<T> = Omit<T, "TableName" | "ConditionExpression">;
type Conditional<T> = Omit<T, "TableName"> & { readonly ConditionExpression: string };

/** Writes one item unconditionally (PutItem); `input` is PutItem's input without the table. */
export async function putItem(table: TableRef, input: Unconditional<PutItemCommandInput>): Promise<void> {
  await callDynamo(
    "PutItem",
    () => table.client.send(new PutItemCommand({ TableName: table.tableName, ...input })),
    table.retry,
  );
}

/** Updates one item unconditionally (UpdateItem); returns the attributes `ReturnValues` asked for. */
export async function updateItem(
  table: TableRef,
  input: Unconditional<UpdateItemCommandInput>,
): Promise<Item | undefined> {
  const output = await callDynamo(
    "UpdateItem",
    () => table.client.send(new UpdateItemCommand({ TableName: table.tableName, ...input })),
    table.retry,
  );
  return output.Attributes as Item | undefined;
}

/** Deletes one item unconditionally (DeleteItem); `input` is DeleteItem's input without the table. */
export async function deleteItem(
  table: TableRef,
  input: Unconditional<DeleteItemCommandInput>,
): Promise<void> {
  await callDynamo(
    "DeleteItem",
    () => table.client.send(new DeleteItemCommand({ TableName: table.tableName, ...input })),
    table.retry,
  );
}

/** How a conditional single-item write ended: written, or its condition did not hold (nothing written). */
export type WriteOutcome = "written" | "condition-failed";

/** Runs a conditional single-item write; a failed condition is the outcome "condition-failed". */
function writeIf(what: string, run: () => Promise<unknown>, table: TableRef): Promise<WriteOutcome> {
  return callDynamo(
    what,
    async (): Promise<WriteOutcome> => {
      try {
        await run();
        return "written";
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return "condition-failed";
        throw error;
      }
    },
    table.retry,
  );
}

/** Writes one item if `ConditionExpression` holds (PutItem); "condition-failed" when it did not. */
export function putItemIf(table: TableRef, input: Conditional<PutItemCommandInput>): Promise<WriteOutcome> {
  return writeIf(
    "PutItem",
    () => table.client.send(new PutItemCommand({ TableName: table.tableName, ...input })),
    table,
  );
}

/** Updates one item if `ConditionExpression` holds (UpdateItem); "condition-failed" when it did not. */
export function updateItemIf(
  table: TableRef,
  input: Conditional<UpdateItemCommandInput>,
): Promise<WriteOutcome> {
  return writeIf(
    "UpdateItem",
    () => table.client.send(new UpdateItemCommand({ TableName: table.tableName, ...input })),
    table,
  );
}

/** Deletes one item if `ConditionExpression` holds (DeleteItem); "condition-failed" when it did not. */
export function deleteItemIf(
  table: TableRef,
  input: Conditional<DeleteItemCommandInput>,
): Promise<WriteOutcome> {
  return writeIf(
    "DeleteItem",
    () => table.client.send(new DeleteItemCommand({ TableName: table.tableName, ...input })),
    table,
  );
}

/**
 * How a transaction ended: committed, or refused because a condition did not hold, with `failed[i]` true
 * when item i's condition failed.
 */
export type TransactOutcome =
  | { readonly committed: true }
  | { readonly committed: false; readonly failed: readonly boolean[] };

/**
 * Commits `items` in one TransactWriteItems. A cancellation that names a failed condition is the outcome
 * `{ committed: false, failed }`. A cancellation for conflicts only (TransactionConflict: another transaction
 * or write held an item; the SDK does not retry cancellations, it cannot know which are worth it) is
 * retried with backoff, `attempts` times in all (default: the policy's), then ThrottledError. Each attempt
 * carries its own ClientRequestToken, which the SDK resends unchanged on its own retries (throttling, a
 * network error after DynamoDB applied it), so DynamoDB never applies one attempt twice; a new attempt is
 * made only after a cancellation, when nothing was applied.
 */
export async function transactWrite(
  table: TableRef,
  items: readonly TransactWriteItem[],
  attempts = table.retry.attempts,
): Promise<TransactOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      await table.client.send(
        new TransactWriteItemsCommand({ TransactItems: [...items], ClientRequestToken: randomUUID() }),
      );
      return { committed: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw translateError(error, "TransactWriteItems");
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
      if (codes.includes("ConditionalCheckFailed")) {
        return { committed: false, failed: items.map((_, i) => codes[i] === "ConditionalCheckFailed") };
      }
      if (attempt + 1 >= attempts) {
        throw new ThrottledError(`TransactWriteItems kept conflicting (${codes.join(",")})`, {
          cause: error,
        });
      }
      await table.retry.sleep(backoffMs(table.retry, attempt));
    }
  }
}

/** The query of {@link queryAll}: a key condition on the table or on an index, optionally limited. */
export interface QueryInput {
  readonly keyCondition: string;
  readonly values: Item;
  readonly names?: Record<string, string>;
  readonly consistent?: boolean;
  readonly index?: string;
  readonly limit?: number;
  readonly forward?: boolean;
  readonly projection?: string;
}

/** All items of one Query (every page, or until `limit` items). */
export async function queryAll(table: TableRef, input: QueryInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const output = await callDynamo(
      "Query",
      () =>
        table.client.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: input.keyCondition,
            ExpressionAttributeValues: input.values,
            ...(input.names ? { ExpressionAttributeNames: input.names } : {}),
            ...(input.index ? { IndexName: input.index } : { ConsistentRead: input.consistent ?? false }),
            ...(input.limit ? { Limit: input.limit - items.length } : {}),
            ...(input.forward === false ? { ScanIndexForward: false } : {}),
            ...(input.projection ? { ProjectionExpression: input.projection } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      table.retry,
    );
    items.push(...((output.Items ?? []) as Item[]));
    start = output.LastEvaluatedKey as Item | undefined;
  } while (start && (input.limit === undefined || items.length < input.limit));
  return items;
}
