import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTableRef } from "../shared/adapters/dynamo-client.js";
import { createTable } from "../shared/adapters/dynamo-table.js";
import { ENV } from "../shared/env-names.js";
import { createLocalUserPool, type LocalUserPool, poolUrls } from "./cognito-accounts.js";
import { type CognitoLocal, startCognitoLocal } from "./cognito-local.js";
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
  userPool: "cinecluster-local",
} as const;

/** The running local services and the environment the handlers read. */
export interface LocalStack {
  readonly dynamo: DynamoDbLocal;
  readonly s3: S3Local;
  /** cognito-local, and the user pool and app client the personal routes accept tokens of. */
  readonly cognito: CognitoLocal;
  readonly userPool: LocalUserPool;
  /** The variables of shared/env-names.ts (and AWS_REGION) as the functions see them. */
  readonly env: Record<string, string>;
  /**
   * Resolves when a service ends on its own (not through stop()): which one and how, e.g. "DynamoDB Local
   * (java pid 123) exited: signal SIGKILL". `npm start` then says so and stops.
   */
  readonly died: Promise<string>;
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

/**
 * The local user pool: the one recorded in `<cognitoDir>/pool.json` when its data was kept (so sample users
 * keep their sign-in subject, which the kept table links to their user id), else a new one, recorded there.
 */
async function localUserPool(cognitoDir: string, endpoint: string): Promise<LocalUserPool> {
  const file = path.join(cognitoDir, "pool.json");
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, "utf8")) as { userPoolId: string; clientId: string };
    return { endpoint, ...kept, ...poolUrls(endpoint, kept.userPoolId) };
  }
  const pool = await createLocalUserPool(endpoint, LOCAL_NAMES.userPool);
  writeFileSync(file, JSON.stringify({ userPoolId: pool.userPoolId, clientId: pool.clientId }));
  return pool;
}

/** Removes the local database, objects and user pools (not downloaded datasets). */
export function wipeLocalData(dataDir: string): void {
  for (const dir of ["dynamodb", "s3", "cognito"])
    rmSync(path.join(dataDir, dir), { recursive: true, force: true });
}

/**
 * Starts DynamoDB Local, s3rver and cognito-local on free loopback ports with their data under `dataDir`,
 * creates the table, the bucket, and a user pool with its app client, and returns the environment for the
 * handlers. If anything fails, what started is stopped. With DynamoDB in memory, the user pools start empty
 * too (their account links live in the table).
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (options.reset) wipeLocalData(options.dataDir);
  const cognitoDir = path.join(options.dataDir, "cognito");
  if (options.dynamoInMemory) rmSync(cognitoDir, { recursive: true, force: true });
  const results = await Promise.allSettled([
    startDynamoDbLocal(options.dynamoInMemory ? {} : { dataDir: path.join(options.dataDir, "dynamodb") }),
    startS3Local({ dataDir: path.join(options.dataDir, "s3"), buckets: [LOCAL_NAMES.bucket] }),
    startCognitoLocal({ dataDir: cognitoDir }),
  ]);
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.allSettled(started.map((service) => service.stop()));
  };
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [dynamo, s3, cognito] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    DynamoDbLocal,
    S3Local,
    CognitoLocal,
  ];
  let userPool: LocalUserPool;
  try {
    userPool = await localUserPool(cognitoDir, cognito.endpoint);
  } catch (error) {
    await stop();
    throw error;
  }
  const env: Record<string, string> = {
    [ENV.tableName]: LOCAL_NAMES.table,
    [ENV.bucketName]: LOCAL_NAMES.bucket,
    [ENV.ratingsKey]: LOCAL_NAMES.ratingsKey,
    [ENV.moviesKey]: LOCAL_NAMES.moviesKey,
    [ENV.dynamoEndpoint]: dynamo.endpoint,
    [ENV.s3Endpoint]: s3.endpoint,
    [ENV.authIssuer]: userPool.issuer,
    [ENV.authClientIds]: userPool.clientId,
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
  const died = Promise.race([
    dynamo.exited.then((how) => `DynamoDB Local (java pid ${dynamo.pid}) exited: ${how}`),
    s3.exited.then((how) => `s3rver stopped: ${how}`),
    cognito.exited.then((how) => `cognito-local (pid ${cognito.pid}) exited: ${how}`),
  ]).then((what) => (stopping ? new Promise<string>(() => undefined) : what));
  return { dynamo, s3, cognito, userPool, env, died, stop };
}
