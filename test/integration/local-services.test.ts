import { describe, expect, inject, it } from "vitest";

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
});
