import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  InternalServerError,
  type KeysAndAttributes,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionConflictException,
  TransactionInProgressException,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { DomainError, StoreError, StoreUnavailableError, ThrottledError } from "../domain/errors.js";
import type { Item } from "./dynamo-codec.js";
import { isStoreUnreachable, RETRY_AFTER_SECONDS } from "./dynamo-deadline.js";

/** The one method of the SDK client the adapters use; a test can wrap a real client to inject faults. */
export type DynamoSender = Pick<DynamoDBClient, "send">;

/** Backoff policy: full jitter over an exponentially growing cap. */
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

/** The delay before retry number `attempt` (0-based): uniform in [0, min(max, base * 2^attempt)). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return policy.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
}

/** True for errors DynamoDB says to retry after a pause: throttling, conflicts, internal errors. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ProvisionedThroughputExceededException ||
    error instanceof ThrottlingException ||
    error instanceof RequestLimitExceeded ||
    error instanceof TransactionConflictException ||
    error instanceof TransactionInProgressException ||
    error instanceof InternalServerError
  );
}

/** Domain errors (every DomainError) pass through; anything else from the SDK becomes a StoreError with the cause. */
export function toStoreError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  if (isStoreUnreachable(error)) {
    // The SDK's standard retries (network errors, timeouts, 5xx) are spent: the store is down or stalled.
    return new StoreUnavailableError(`DynamoDB ${what}: the store did not answer`, RETRY_AFTER_SECONDS, {
      cause: error,
    });
  }
  return new StoreError(`DynamoDB ${what} failed`, { cause: error });
}

/**
 * Runs `call`, retrying throttling and conflicts with backoff and jitter. After the last attempt a
 * retryable failure is a ThrottledError; any other failure is a StoreError with the SDK error as cause.
 */
export async function withRetry<T>(what: string, call: () => Promise<T>, policy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error)) throw toStoreError(error, what);
      if (attempt + 1 >= policy.attempts) {
        throw new ThrottledError(`DynamoDB ${what} still throttled after ${policy.attempts} attempts`, {
          cause: error,
        });
      }
      await policy.sleep(backoffMs(policy, attempt));
    }
  }
}

/** Runs `tasks` with at most `concurrency` in flight; rejects on the first failure. */
export async function runPool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
  return results;
}

/** Writes one batch of at most 25 requests, retrying UnprocessedItems with backoff and jitter. */
async function writeBatch(
  sender: DynamoSender,
  tableName: string,
  batch: WriteRequest[],
  policy: RetryPolicy,
): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= policy.attempts) {
      throw new ThrottledError(
        `BatchWriteItem left ${pending.length} items unprocessed after ${policy.attempts} attempts`,
      );
    }
    if (attempt > 0) await policy.sleep(backoffMs(policy, attempt - 1));
    const output = await withRetry(
      "BatchWriteItem",
      () => sender.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } })),
      policy,
    );
    pending = output.UnprocessedItems?.[tableName] ?? [];
  }
}

/**
 * Writes all requests in BatchWriteItem calls of 25, `concurrency` calls in flight, UnprocessedItems retried
 * with exponential backoff and jitter. `onBatch` reports the number of items written so far.
 */
export async function batchWriteAll(
  sender: DynamoSender,
  tableName: string,
  requests: readonly WriteRequest[],
  options: { concurrency?: number; policy?: RetryPolicy; onBatch?: (written: number) => void } = {},
): Promise<void> {
  const policy = options.policy ?? DEFAULT_RETRY;
  let written = 0;
  const tasks: (() => Promise<void>)[] = [];
  for (let start = 0; start < requests.length; start += 25) {
    const batch = requests.slice(start, start + 25);
    tasks.push(async () => {
      await writeBatch(sender, tableName, batch, policy);
      written += batch.length;
      options.onBatch?.(written);
    });
  }
  await runPool(tasks, options.concurrency ?? 4);
}

/** Reads items by key in BatchGetItem calls of up to 100 (in parallel), UnprocessedKeys retried with backoff. */
export async function batchGetAll(
  sender: DynamoSender,
  tableName: string,
  keys: readonly Item[],
  options: {
    consistent?: boolean;
    projection?: string;
    names?: Record<string, string>;
    policy?: RetryPolicy;
    /** Keys per call (at most 100); smaller calls in parallel answer sooner on DynamoDB Local. */
    chunkSize?: number;
  } = {},
): Promise<Item[]> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const size = Math.min(100, options.chunkSize ?? 100);
  const chunks: Item[][] = [];
  for (let start = 0; start < keys.length; start += size) chunks.push(keys.slice(start, start + size));
  const found = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Item[] = [];
      let pending: KeysAndAttributes | undefined = {
        Keys: chunk,
        ConsistentRead: options.consistent ?? false,
        ...(options.projection ? { ProjectionExpression: options.projection } : {}),
        ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
      };
      for (let attempt = 0; pending?.Keys && pending.Keys.length > 0; attempt++) {
        if (attempt >= policy.attempts) {
          throw new ThrottledError(`BatchGetItem left keys unprocessed after ${policy.attempts} attempts`);
        }
        if (attempt > 0) await policy.sleep(backoffMs(policy, attempt - 1));
        const request: KeysAndAttributes = pending;
        const output = await withRetry(
          "BatchGetItem",
          () => sender.send(new BatchGetItemCommand({ RequestItems: { [tableName]: request } })),
          policy,
        );
        items.push(...((output.Responses?.[tableName] ?? []) as Item[]));
        pending = output.UnprocessedKeys?.[tableName];
      }
      return items;
    }),
  );
  return found.flat();
}
