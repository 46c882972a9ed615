import { Readable } from "node:stream";
import {
  BatchWriteItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createHandler as getHealth } from "../../functions/get-health/create-handler.js";
import { createHandler as recordFavourite } from "../../functions/record-favourite/create-handler.js";
import { batchWriteAll } from "../../shared/adapters/dynamo-batch.js";
import {
  createDynamoClient,
  DEFAULT_RETRY,
  type DynamoSender,
  queryAll,
  type TableRef,
} from "../../shared/adapters/dynamo-client.js";
import { S } from "../../shared/adapters/dynamo-codec.js";
import { GLOBAL } from "../../shared/adapters/dynamo-keys.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { readCounts } from "../helpers/counts-helper.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);
let real: TableRef;

/** A client that throws `fault()` for the first `times` commands of a kind, then talks to DynamoDB Local. */
function faulty(kind: new (...args: never[]) => unknown, times: number, fault: () => Error) {
  let calls = 0;
  const sleeps: number[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof kind && calls++ < times) throw fault();
      return (real.client.send as (c: unknown) => Promise<unknown>)(command);
    },
  } as unknown as DynamoSender;
  const table: TableRef = {
    client,
    tableName: real.tableName,
    retry: { ...DEFAULT_RETRY, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  };
  return { table, calls: () => calls, sleeps };
}

/**
 * A client made as production makes it (createDynamoClient: the SDK's standard retry strategy) whose first
 * `times` GetItem requests DynamoDB "answers" with HTTP 400 ProvisionedThroughputExceededException, as a
 * throttled table does; every other request goes to DynamoDB Local. The fault is injected below the SDK's
 * retry middleware, so what is tested is the SDK's own retrying.
 */
function throttledGets(times: number, maxAttempts: number) {
  let requests = 0;
  const client = createDynamoClient({ region: "us-east-1", endpoint: inject("dynamoEndpoint"), maxAttempts });
  const config = client.config as unknown as { requestHandler: HttpHandlerLike };
  const http = config.requestHandler;
  config.requestHandler = {
    handle: (request, options) => {
      if (request.headers["x-amz-target"] !== "DynamoDB_20120810.GetItem" || requests++ >= times) {
        return http.handle(request, options);
      }
      const body = JSON.stringify({
        __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        message: "The level of configured provisioned throughput for the table was exceeded.",
      });
      return Promise.resolve({
        response: {
          statusCode: 400,
          headers: {
            "content-type": "application/x-amz-json-1.0",
            "x-amzn-errortype": "ProvisionedThroughputExceededException",
          },
          body: Readable.from([Buffer.from(body)]),
        },
      });
    },
  };
  const table: TableRef = { client, tableName: real.tableName, retry: DEFAULT_RETRY };
  return { table, requests: () => requests };
}

/**
 * A client made as production makes it whose first TransactWriteItems request reaches DynamoDB Local and is
 * applied, but whose answer is lost (the connection reset, as a load balancer or a network blip does). The
 * SDK's retry strategy resends the request; `tokens` are the ClientRequestTokens the requests carried.
 */
function answerLostOnFirstTransaction() {
  const tokens: string[] = [];
  const client = createDynamoClient({ region: "us-east-1", endpoint: inject("dynamoEndpoint") });
  const config = client.config as unknown as { requestHandler: HttpHandlerLike };
  const http = config.requestHandler;
  config.requestHandler = {
    handle: async (request, options) => {
      if (request.headers["x-amz-target"] !== "DynamoDB_20120810.TransactWriteItems") {
        return http.handle(request, options);
      }
      tokens.push(JSON.parse(String(request.body)).ClientRequestToken);
      const answer = await http.handle(request, options);
      if (tokens.length > 1) return answer;
      for await (const _ of answer.response.body as AsyncIterable<unknown>) {
        // drain the applied transaction's answer, then lose it
      }
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    },
  };
  const table: TableRef = { client, tableName: real.tableName, retry: DEFAULT_RETRY };
  return { table, tokens };
}

/** The part of the SDK's HTTP handler the fault needs. */
interface HttpHandlerLike {
  handle(
    request: { headers: Record<string, string>; body?: unknown },
    options: unknown,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: unknown } }>;
}

describe("injected faults: retries and the error mapping", () => {
  beforeAll(async () => {
    real = await createTestTable("faults");
    await acquireTrainingLock(real, "t", NOW, 600_000);
    await beginModelVersion(real, "v1", "t", NOW);
    await writeModelVersion(real, tinyVersion("v1"), TINY_WRITE_OPTIONS);
    await publishModelVersion(real, "v1", "t", NOW);
  });

  it("the SDK's retry strategy retries throttling; the adapters add no retries of their own", async () => {
    const { table, requests } = throttledGets(3, 4);
    const result = await getHealth({ store: bindApiStore(table, { candidatePool: 100 }) })(apiEvent({}));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ status: "ok", modelVersion: "v1" });
    // Three throttled answers, then the fourth attempt reached DynamoDB Local: 4 HTTP requests, one call.
    expect(requests()).toBe(4);
  });

  it("answers 429 when throttling outlasts the SDK's attempts", async () => {
    const { table, requests } = throttledGets(100, 2);
    const result = await getHealth({ store: bindApiStore(table, { candidatePool: 100 }) })(apiEvent({}));
    expect(result.statusCode).toBe(429);
    expect(bodyOf(result).error).toBe("TooManyRequests");
    expect(requests()).toBe(2);
  });

  it("retries a transaction cancelled by a conflict and still counts the favourite once", async () => {
    const conflict = () =>
      new TransactionCanceledException({
        message: "Transaction cancelled",
        $metadata: {},
        CancellationReasons: [
          { Code: "None" },
          { Code: "None" },
          { Code: "TransactionConflict" },
          { Code: "None" },
        ],
      });
    const { table, calls } = faulty(TransactWriteItemsCommand, 2, conflict);
    const caller = await callerAuthFor(real, [4]);
    const post = recordFavourite({
      store: bindApiStore(table, { candidatePool: 100 }),
      caller,
      now: () => NOW,
    });
    const result = await post(
      apiEvent({ pathParameters: { userId: "4" }, body: JSON.stringify({ movieId: 15 }) }),
    );
    expect(result.statusCode).toBe(201);
    expect(calls()).toBe(3);
    expect((await readCounts(real, "v1", 1)).get(15)).toBe(2);
    expect((await readCounts(real, "v1", GLOBAL)).get(15)).toBe(2);
  });

  it("maps an unexpected SDK error to a bare 500 and logs the cause", async () => {
    const missing: TableRef = { ...real, tableName: "no-such-table" };
    const logged: unknown[] = [];
    const { apiHandler } = await import("../../shared/http/api-handler.js");
    const store = bindApiStore(missing, { candidatePool: 100 });
    const handler = apiHandler(
      async () => ({ statusCode: 200, body: { version: await store.activeVersion() } }),
      (error) => logged.push(error),
    );
    const result = await handler(apiEvent({}));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({ error: "InternalServerError", message: "Internal Server Error" });
    expect(result.body).not.toContain("at ");
    expect(logged).toHaveLength(1);
    expect((logged[0] as Error).name).toBe("StoreError");
    expect((logged[0] as Error).cause).toBeInstanceOf(Error);
  });

  it("recommendations only read, even for a user who has favourites but no stored placement", async () => {
    const { commitFavouriteChange } = await import("../../shared/adapters/dynamo-favourite-writer.js");
    const { readPointer } = await import("../../shared/adapters/dynamo-pointer.js");
    // As when the favourite was recorded before any model existed: stored, counted nowhere, user not placed.
    await commitFavouriteChange(real, {
      userId: 70,
      movie: { movieId: 11, title: "Heat (1995)", genres: ["Action", "Crime"] },
      observed: null,
      state: "active",
      targets: [],
      pointer: await readPointer(real),
      nowMs: NOW,
    });
    const writes: string[] = [];
    const readOnly = {
      send: async (command: { constructor: { name: string } }) => {
        if (!/^(GetItem|BatchGetItem|Query)Command$/.test(command.constructor.name)) {
          writes.push(command.constructor.name);
          throw new Error("read-only client");
        }
        return (real.client.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as DynamoSender;
    const store = bindApiStore({ ...real, client: readOnly }, { candidatePool: 100 });
    const { createHandler } = await import("../../functions/get-recommendations/create-handler.js");
    const caller = await callerAuthFor(real, [70]);
    const body = bodyOf(
      await createHandler({ store, caller })(apiEvent({ pathParameters: { userId: "70" } })),
    );
    expect(writes).toEqual([]);
    expect(body.source).toBe("placed-cluster");
    expect(body.clusterId).toBe(1);
    // Cluster 1: 15 is liked by 2 (user 4 recorded it above), 13 by 1; then cluster 0's, at a smaller weight.
    expect(body.items.map((m: { movieId: number }) => m.movieId)).toEqual([15, 13, 10, 12, 14]);
  });

  it("retries BatchWriteItem UnprocessedItems until every item is written", async () => {
    let unprocessedOnce = 0;
    const client = {
      send: async (command: unknown) => {
        if (command instanceof BatchWriteItemCommand && unprocessedOnce++ === 0) {
          return { UnprocessedItems: command.input.RequestItems };
        }
        return (real.client.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as DynamoSender;
    const requests = Array.from({ length: 30 }, (_, i) => ({
      PutRequest: { Item: { pk: S("FAULT"), sk: S(`item-${String(i).padStart(2, "0")}`) } },
    }));
    await batchWriteAll(client, real.tableName, requests, {
      concurrency: 1,
      policy: { ...DEFAULT_RETRY, sleep: async () => undefined },
    });
    const items = await queryAll(real, {
      keyCondition: "pk = :pk",
      values: { ":pk": S("FAULT") },
      consistent: true,
    });
    expect(items).toHaveLength(30);
    expect(unprocessedOnce).toBe(3);
  });

  it("a favourite transaction applied before its answer was lost is resent with its token: 201, counted once", async () => {
    const before = (await readCounts(real, "v1", GLOBAL)).get(14);
    const { table, tokens } = answerLostOnFirstTransaction();
    const post = recordFavourite({
      store: bindApiStore(table, { candidatePool: 100 }),
      caller: await callerAuthFor(real, [1]),
      now: () => NOW,
    });
    const result = await post(
      apiEvent({ pathParameters: { userId: "1" }, body: JSON.stringify({ movieId: 14 }) }),
    );
    // The SDK resent the same request: DynamoDB recognised the token and did not apply it again, so this
    // request is the one that created the favourite (without the token the resend would be cancelled by the
    // favourite's own condition, and the answer would be 200 "already a favourite").
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
    expect(result.statusCode).toBe(201);
    expect(before).toBe(2);
    expect((await readCounts(real, "v1", GLOBAL)).get(14)).toBe(3);
    expect((await readCounts(real, "v1", 0)).get(14)).toBe(3);
  });
});
