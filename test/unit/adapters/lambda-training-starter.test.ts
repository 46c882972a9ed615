import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTrainingStarter } from "../../../shared/adapters/lambda-training-starter.js";
import { StoreError } from "../../../shared/domain/errors.js";

/**
 * The Lambda Invoke API on loopback (POST /2015-03-31/functions/{name}/invocations): it records each request
 * and answers as Lambda does to an asynchronous invocation, 202 with no body, or 404 for an unknown function.
 */
const requests: { path: string; invocationType: string | undefined; body: string }[] = [];
const server = createServer((request: IncomingMessage, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    requests.push({
      path: request.url ?? "",
      invocationType: request.headers["x-amz-invocation-type"] as string | undefined,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    if (request.url?.includes("/functions/missing/")) {
      response.writeHead(404, {
        "content-type": "application/json",
        "x-amzn-errortype": "ResourceNotFoundException",
      });
      response.end(JSON.stringify({ Type: "User", message: "Function not found" }));
      return;
    }
    response.writeHead(202);
    response.end();
  });
});
let endpoint = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("createTrainingStarter (the admin function's retrain)", () => {
  it("invokes the training function asynchronously with the admin source, and answers Lambda's 202", async () => {
    requests.length = 0;
    const start = createTrainingStarter({
      region: "eu-west-1",
      trainFunctionName: "cinecluster-train",
      endpoint,
    });
    expect(await start()).toEqual({ started: true, functionName: "cinecluster-train", statusCode: 202 });
    expect(requests).toEqual([
      {
        path: "/2015-03-31/functions/cinecluster-train/invocations",
        invocationType: "Event",
        body: JSON.stringify({ source: "cinecluster.admin" }),
      },
    ]);
  });

  it("turns a refusal into StoreError naming the function, with the SDK error as cause", async () => {
    const start = createTrainingStarter({ region: "eu-west-1", trainFunctionName: "missing", endpoint });
    const error = await start().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain("missing");
    expect(((error as Error).cause as Error).name).toBe("ResourceNotFoundException");
  });
});
