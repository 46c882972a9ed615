import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { inject } from "vitest";
import { createHandler as dismissMovie } from "../../functions/dismiss-movie/create-handler.js";
import { createHandler as getCluster } from "../../functions/get-cluster/create-handler.js";
import { createHandler as getHealth } from "../../functions/get-health/create-handler.js";
import { createHandler as getMe } from "../../functions/get-me/create-handler.js";
import { createHandler as getModel } from "../../functions/get-model/create-handler.js";
import { createHandler as getModelChart } from "../../functions/get-model-chart/create-handler.js";
import { createHandler as getMovie } from "../../functions/get-movie/create-handler.js";
import { createHandler as getOpenApi } from "../../functions/get-openapi/create-handler.js";
import { createHandler as getPopularMovies } from "../../functions/get-popular-movies/create-handler.js";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import { createHandler as getSimilarMovies } from "../../functions/get-similar-movies/create-handler.js";
import { createHandler as listClusters } from "../../functions/list-clusters/create-handler.js";
import { createHandler as listFavourites } from "../../functions/list-favourites/create-handler.js";
import { createHandler as listGenres } from "../../functions/list-genres/create-handler.js";
import { createHandler as recommendFromPicks } from "../../functions/recommend-from-picks/create-handler.js";
import { createHandler as recordFavourite } from "../../functions/record-favourite/create-handler.js";
import { createHandler as removeFavourite } from "../../functions/remove-favourite/create-handler.js";
import { createHandler as searchMovies } from "../../functions/search-movies/create-handler.js";
import {
  createHandler as createTrainHandler,
  type Deps as TrainDeps,
  type TrainHandler,
} from "../../functions/train-model/create-handler.js";
import { createTrainDeps } from "../../functions/train-model/deps.js";
import type { TrainingLog } from "../../functions/train-model/telemetry.js";
import { createHandler as undoDismissal } from "../../functions/undo-dismissal/create-handler.js";
import { createLocalUserPool, type LocalUserPool } from "../../local/cognito-accounts.js";
import { type LocalRoute, type RunningHttpApi, startHttpApi } from "../../local/http-server.js";
import { createJwtAuthorizer } from "../../local/jwt-authorizer.js";
import { sampleUserToken } from "../../local/sample-accounts.js";
import { bindAccountReader } from "../../shared/adapters/dynamo-account-reader.js";
import { bindAccountWriter } from "../../shared/adapters/dynamo-account-writer.js";
import { createTableRef } from "../../shared/adapters/dynamo-client.js";
import {
  createDynamoCatalogueReader,
  createDynamoPicksReader,
  createDynamoStore,
} from "../../shared/adapters/dynamo-store.js";
import { createTable } from "../../shared/adapters/dynamo-table.js";
import { ensureBucket } from "../../shared/adapters/s3-objects.js";
import { loadApiConfig, loadTrainConfig, type TrainConfig } from "../../shared/config.js";
import { ROUTES } from "../../shared/constants.js";
import type { AccountWriter, ApiStore, CatalogueReader, PicksReader } from "../../shared/domain/ports.js";
import { ENV } from "../../shared/env-names.js";
import type { CallerAuth } from "../../shared/http/caller.js";

/** The deps each handler.ts passes, built from the test system's config. */
interface HandlerDeps {
  store: ApiStore;
  neighbourWeight: number;
  catalogue: CatalogueReader;
  picks: PicksReader;
  candidatePool: number;
  caller: CallerAuth;
  accounts: AccountWriter;
}

/** Each route's real createHandler, by function name (the ROUTES table says which serves what). */
const API_HANDLERS: Record<
  (typeof ROUTES)[number]["functionName"],
  (deps: HandlerDeps) => LocalRoute["handler"]
> = {
  "get-recommendations": getRecommendations,
  "record-favourite": recordFavourite,
  "remove-favourite": removeFavourite,
  "list-favourites": listFavourites,
  "dismiss-movie": dismissMovie,
  "undo-dismissal": undoDismissal,
  "get-popular-movies": getPopularMovies,
  "get-cluster": getCluster,
  "get-model": getModel,
  "get-health": getHealth,
  "search-movies": searchMovies,
  "get-movie": getMovie,
  "get-similar-movies": getSimilarMovies,
  "list-genres": listGenres,
  "list-clusters": listClusters,
  "get-model-chart": getModelChart,
  "get-openapi": () => getOpenApi(),
  "recommend-from-picks": recommendFromPicks,
  "get-me": getMe,
};

/** The password the test systems give sample users' local sign-ins. */
const TEST_PASSWORD = "Test-password-1";

/** One log call the training handler made. */
export interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly attributes: Record<string, unknown> | undefined;
}

/**
 * The whole system for one test file, as `npm start` wires it: a fresh table in the run's DynamoDB Local, a
 * fresh bucket in its s3rver, every route's real handler behind the local HTTP adapter, and the training
 * handler built from the same config loader and wiring as the Lambda (logs captured instead of printed).
 */
export interface LocalSystem {
  readonly url: string;
  readonly config: TrainConfig;
  readonly objects: TrainDeps["objects"];
  readonly store: TrainDeps["store"];
  readonly logs: LogLine[];
  /** The training metrics emitted, by name, in order. */
  readonly metricEvents: string[];
  /** Invokes the training handler; `overrides` swap in fault-injecting dependencies. */
  train(
    overrides?: Partial<TrainDeps>,
    event?: unknown,
    context?: Parameters<TrainHandler>[1],
  ): ReturnType<TrainHandler>;
  put(key: string, text: string): Promise<void>;
  /** The user pool (in the run's cognito-local) whose access tokens the personal routes accept. */
  readonly userPool: LocalUserPool;
  /** Sends a request; `headers` are added (e.g. authorization). */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** Sends a request with an access token of user `userId` (a sample user's sign-in, opened on first use). */
  requestAs(
    userId: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  /** An access token of user `userId` from cognito-local (cached per user). */
  tokenFor(userId: number): Promise<string>;
  close(): Promise<void>;
}

/** Starts the system with a unique table and bucket; `env` adds training settings (k, min cluster size). */
export async function startLocalSystem(name: string, env: Record<string, string> = {}): Promise<LocalSystem> {
  const suffix = randomUUID().slice(0, 8);
  const environment = {
    [ENV.tableName]: `${name}-${suffix}`,
    [ENV.bucketName]: `${name}-${suffix}`.toLowerCase(),
    [ENV.ratingsKey]: "data/ratings.csv",
    [ENV.moviesKey]: "data/movies.csv",
    [ENV.dynamoEndpoint]: inject("dynamoEndpoint"),
    [ENV.s3Endpoint]: inject("s3Endpoint"),
    AWS_REGION: "us-east-1",
    // This 2-core machine runs many suites at once: a deadline meant for production would turn slow
    // answers into 503s here. The fault suite sets its own.
    [ENV.storeDeadlineMs]: "30000",
    ...env,
  };
  const config = loadTrainConfig(environment);
  await createTable(createTableRef(config).client, config.tableName);
  await ensureBucket({
    bucket: config.bucketName,
    region: config.region,
    endpoint: inject("s3Endpoint"),
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });

  const apiConfig = loadApiConfig(environment);
  const apiStore = createDynamoStore(apiConfig);
  const catalogue = createDynamoCatalogueReader(apiConfig);
  const userPool = await createLocalUserPool(inject("cognitoEndpoint"), `${name}-${suffix}`);
  const table = createTableRef(apiConfig);
  const caller: CallerAuth = {
    issuer: userPool.issuer,
    clientIds: [userPool.clientId],
    accounts: bindAccountReader(table),
  };
  const routes: LocalRoute[] = ROUTES.map((route) => ({
    method: route.method,
    path: route.path,
    functionName: route.functionName,
    // The same deps each handler.ts passes: the store and, for recommendations, the neighbour blend's weight.
    personal: route.personal,
    handler: API_HANDLERS[route.functionName]({
      store: apiStore,
      neighbourWeight: apiConfig.neighbourWeight,
      catalogue,
      picks: createDynamoPicksReader(apiConfig),
      candidatePool: apiConfig.candidatePool,
      caller,
      accounts: bindAccountWriter(table),
    }),
  }));
  const api: RunningHttpApi = await startHttpApi(routes, {
    onError: () => undefined,
    authorizer: createJwtAuthorizer({
      issuer: userPool.issuer,
      audience: [userPool.clientId],
      jwksUri: userPool.jwksUri,
    }),
  });
  const tokens = new Map<number, Promise<string>>();
  const tokenFor = (userId: number) => {
    let token = tokens.get(userId);
    if (token === undefined) {
      token = sampleUserToken(userPool, table, TEST_PASSWORD, userId);
      tokens.set(userId, token);
    }
    return token;
  };
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = (response.headers.get("content-type") ?? "").includes("json");
    return { status: response.status, body: text === "" ? undefined : json ? JSON.parse(text) : text };
  };

  const logs: LogLine[] = [];
  const log: TrainingLog = {
    info: (message, attributes) => logs.push({ level: "info", message, attributes }),
    warn: (message, attributes) => logs.push({ level: "warn", message, attributes }),
    error: (message, attributes) => logs.push({ level: "error", message, attributes }),
  };
  const base = createTrainDeps(config);
  const metricEvents: string[] = [];
  const deps: TrainDeps = {
    ...base,
    log,
    metrics: {
      succeeded: () => metricEvents.push("TrainingSucceeded"),
      failed: () => metricEvents.push("TrainingFailed"),
      refused: () => metricEvents.push("TrainingRefused"),
    },
  };

  return {
    url: api.url,
    config,
    objects: base.objects,
    store: base.store,
    logs,
    metricEvents,
    train: (overrides = {}, event = { source: "test" }, context = undefined) =>
      createTrainHandler({ ...deps, ...overrides })(event, context),
    put: async (key, text) => {
      await base.objects.upload(key, Readable.from([Buffer.from(text)]), "text/csv");
    },
    userPool,
    request,
    requestAs: async (userId, method, path, body) =>
      request(method, path, body, { authorization: `Bearer ${await tokenFor(userId)}` }),
    tokenFor,
    close: () => api.close(),
  };
}

/** A MovieLens-format ratings CSV from [userId, movieId, rating] rows (CRLF, as MovieLens ships it). */
export function ratingsCsv(rows: readonly (readonly [number, number, number])[]): string {
  return `userId,movieId,rating,timestamp\r\n${rows.map(([u, m, r], i) => `${u},${m},${r.toFixed(1)},${1_000_000 + i}\r\n`).join("")}`;
}

/** A movies.csv for movies 1..n named "Movie n (2000)", genres alternating Comedy and Drama. */
export function moviesCsv(n: number): string {
  const rows = Array.from(
    { length: n },
    (_, i) => `${i + 1},"Movie ${i + 1}, The (2000)",${i % 2 === 0 ? "Comedy" : "Drama"}\n`,
  );
  return `movieId,title,genres\n${rows.join("")}`;
}
