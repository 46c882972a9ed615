import { rmSync } from "node:fs";
import path from "node:path";
import { createTableRef } from "../shared/adapters/dynamo-client.js";
import { createTable } from "../shared/adapters/dynamo-table.js";
import { ENV } from "../shared/env-names.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local.js";
import { type S3Local, startS3Local } from "./s3-local.js";

/** File in the data folder where a running `npm start` leaves its environment, for `npm run admin`. */
export const STACK_ENV_FILE = "stack-env.json";

/** Names the local stack uses for the table, bucket and objects (the cloud gets its own from CDK). */
export const LOCAL_NAMES = {
  table: "cinecluster-local",
  bucket: "cinecluster-local",
  ratingsKey: "data/ratings.csv",
  moviesKey: "data/movies.csv",
  region: "us-east-1",
} as const;

/** The running local services and the environment the handlers read. */
export interface LocalStack {
  readonly dynamo: DynamoDbLocal;
  readonly s3: S3Local;
  /** The variables of shared/env-names.ts (and AWS_REGION) as the functions see them. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Data folder: DynamoDB Local's database under dynamodb/, s3rver's objects under s3/. */
  readonly dataDir: string;
  /** Wipe dynamodb/ and s3/ first (datasets/ is kept). */
  readonly reset: boolean;
  /** Keep DynamoDB Local's tables in memory instead of under dataDir/dynamodb (much faster writes). */
  readonly dynamoInMemory?: boolean;
  /** Extra training settings, e.g. { CINECLUSTER_K: "8" }. */
  readonly extraEnv?: Record<string, string>;
}

/** Removes the local database and objects (not downloaded datasets). */
export function wipeLocalData(dataDir: string): void {
  for (const dir of ["dynamodb", "s3"]) rmSync(path.join(dataDir, dir), { recursive: true, force: true });
}

/**
 * Starts DynamoDB Local and s3rver on free loopback ports with their data under `dataDir`, creates the table
 * and the bucket, and returns the environment for the handlers. If anything fails, what started is stopped.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (options.reset) wipeLocalData(options.dataDir);
  const [dynamoResult, s3Result] = await Promise.allSettled([
    startDynamoDbLocal(options.dynamoInMemory ? {} : { dataDir: path.join(options.dataDir, "dynamodb") }),
    startS3Local({ dataDir: path.join(options.dataDir, "s3"), buckets: [LOCAL_NAMES.bucket] }),
  ]);
  const started = [dynamoResult, s3Result].flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const stop = async () => {
    await Promise.allSettled(started.map((service) => service.stop()));
  };
  if (dynamoResult.status === "rejected" || s3Result.status === "rejected") {
    await stop();
    throw dynamoResult.status === "rejected"
      ? dynamoResult.reason
      : (s3Result as PromiseRejectedResult).reason;
  }
  const dynamo = dynamoResult.value;
  const s3 = s3Result.value;
  const env: Record<string, string> = {
    [ENV.tableName]: LOCAL_NAMES.table,
    [ENV.bucketName]: LOCAL_NAMES.bucket,
    [ENV.ratingsKey]: LOCAL_NAMES.ratingsKey,
    [ENV.moviesKey]: LOCAL_NAMES.moviesKey,
    [ENV.dynamoEndpoint]: dynamo.endpoint,
    [ENV.s3Endpoint]: s3.endpoint,
    AWS_REGION: LOCAL_NAMES.region,
    ...options.extraEnv,
  };
  try {
    const { client } = createTableRef({
      tableName: LOCAL_NAMES.table,
      dynamoEndpoint: dynamo.endpoint,
      region: LOCAL_NAMES.region,
    });
    await createTable(client, LOCAL_NAMES.table);
  } catch (error) {
    await stop();
    throw error;
  }
  return { dynamo, s3, env, stop };
}
