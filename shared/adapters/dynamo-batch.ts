/**
 * Batch I/O: BatchWriteItem and BatchGetItem over any number of items, in calls of 25 and 100, and the small
 * pool that keeps a few calls in flight. The SDK retries a call that failed (throttling, 5xx, network); what
 * it cannot know is that a call which succeeded left UnprocessedItems or UnprocessedKeys (DynamoDB's answer
 * to partial throttling), so those are retried here, with backoff and jitter.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type KeysAndAttributes,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { ThrottledError } from "../domain/errors.js";
import {
  backoffMs,
  callDynamo,
  DEFAULT_RETRY,
  type DynamoSender,
  type RetryPolicy,
} from "./dynamo-client.js";
import type { Item } from "./dynamo-codec.js";

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
    const output = await callDynamo(
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
        const output = await callDynamo(
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
