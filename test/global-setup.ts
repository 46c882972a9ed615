import type { TestProject } from "vitest/node";
import { type DynamoDbLocal, startDynamoDbLocal } from "../local/dynamodb-local.js";
import { type S3Local, startS3Local } from "../local/s3-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

let dynamo: DynamoDbLocal | undefined;
let s3: S3Local | undefined;

/** Starts one DynamoDB Local and one s3rver for the whole test run; test files get their endpoints via inject(). */
export async function setup(project: TestProject): Promise<void> {
  [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Local()]);
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
}

/** Stops both services, so no Java process outlives the run. */
export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), s3?.stop()]);
}
