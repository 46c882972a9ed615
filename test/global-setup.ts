import type { TestProject } from "vitest/node";
import { type CognitoLocal, startCognitoLocal } from "../local/cognito-local.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "../local/dynamodb-local.js";
import { type S3Local, startS3Local } from "../local/s3-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
    cognitoEndpoint: string;
  }
}

let dynamo: DynamoDbLocal | undefined;
let s3: S3Local | undefined;
let cognito: CognitoLocal | undefined;

/**
 * Starts one DynamoDB Local, one s3rver and one cognito-local (bound to 127.0.0.1, its user pools in a
 * temporary folder) for the whole test run; test files get their endpoints via inject() and make their own
 * tables, buckets and user pools.
 */
export async function setup(project: TestProject): Promise<void> {
  // Generous start limits: on 2 cores shared by a busy team, the JVM alone has taken over 30 s to answer.
  [dynamo, s3] = await Promise.all([startDynamoDbLocal({ startTimeoutMs: 120_000 }), startS3Local()]);
  // After the JVM is up: both start CPU-bound, and on 2 busy cores DynamoDB Local's start is the slow one.
  cognito = await startCognitoLocal({ startTimeoutMs: 120_000 });
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
  project.provide("cognitoEndpoint", cognito.endpoint);
}

/** Stops the services, so no Java or Node process outlives the run (and the user pools' folder goes). */
export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), s3?.stop(), cognito?.stop()]);
}
