import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestTable } from "../helpers/dynamo-test-table.js";

/**
 * The deployed entry point, functions/admin-model/handler.ts, as Lambda loads it: config from the environment
 * at import (cold start), the table in the run's DynamoDB Local, and the Lambda Invoke API of `retrain` on a
 * loopback server that answers 202 as Lambda does to an asynchronous invocation.
 */
const invocations: { path: string; type: string | undefined; body: string }[] = [];
const lambdaApi = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => {
    body += chunk.toString("utf8");
  });
  request.on("end", () => {
    invocations.push({
      path: request.url ?? "",
      type: request.headers["x-amz-invocation-type"] as string,
      body,
    });
    response.writeHead(202);
    response.end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => lambdaApi.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => lambdaApi.close(resolve));
});

describe("admin-model handler.ts (the deployed entry point)", () => {
  it("lists the versions of its table, starts a training run through Lambda, and refuses an unknown rollback", async () => {
    const table = await createTestTable("admin-entry");
    Object.assign(process.env, {
      CINECLUSTER_TABLE: table.tableName,
      CINECLUSTER_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      CINECLUSTER_TRAIN_FUNCTION: "cinecluster-dev-train",
      CINECLUSTER_LAMBDA_ENDPOINT: `http://127.0.0.1:${(lambdaApi.address() as AddressInfo).port}`,
    });
    const { handler } = await import("../../functions/admin-model/handler.js");

    expect(await handler({ action: "versions" })).toEqual({ action: "versions", versions: [] });
    expect(await handler({ action: "retrain" })).toEqual({
      action: "retrain",
      result: { started: true, functionName: "cinecluster-dev-train", statusCode: 202 },
    });
    expect(invocations).toEqual([
      {
        path: "/2015-03-31/functions/cinecluster-dev-train/invocations",
        type: "Event",
        body: JSON.stringify({ source: "cinecluster.admin" }),
      },
    ]);
    await expect(handler({ action: "rollback", to: "no-such-version" })).rejects.toMatchObject({
      name: "NotFoundError",
    });
    await expect(handler({ action: "delete-everything" })).rejects.toMatchObject({ field: "action" });
  });
});
