import { describe, expect, inject, it } from "vitest";
import { startDynamoDbLocal } from "../../local/dynamodb-local.js";

describe("local services started by the global setup", () => {
  it("DynamoDB Local answers ListTables", async () => {
    const response = await fetch(inject("dynamoEndpoint"), {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty("TableNames");
  });

  it("s3rver lists buckets", async () => {
    const response = await fetch(inject("s3Endpoint"));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("ListAllMyBucketsResult");
  });

  it("DynamoDB Local starts Java with the options it is given, and says when Java refuses them", async () => {
    // The JVM rejects an option it does not know before DynamoDB Local starts: proof the option reached it.
    await expect(startDynamoDbLocal({ jvmOptions: ["-XX:+NoSuchCollectorForThisTest"] })).rejects.toThrow(
      /exited with code 1 before it was ready[\s\S]*NoSuchCollectorForThisTest/,
    );
  }, 60_000);
});
