/**
 * npm run bench:api: latency of the recommendation handler (createHandler + a real DynamoDB Local on loopback,
 * warm) at a fixed request rate, and favourites recorded per second with concurrency.
 *
 *   npm run bench:api -- [--users 2000] [--movies 3000] [--ratings 150000] [--k 12] [--rate 50]
 *                        [--seconds 10] [--favourites 2000] [--concurrency 16] [--server-warmup 3000] [--json]
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHandler as createRecommendations } from "../functions/get-recommendations/create-handler.js";
import { createHandler as createRecordFavourite } from "../functions/record-favourite/create-handler.js";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";
import { bindAccountReader } from "../shared/adapters/dynamo-account-reader.js";
import { bindAccountWriter } from "../shared/adapters/dynamo-account-writer.js";
import { runPool } from "../shared/adapters/dynamo-batch.js";
import { bindCatalogueReader } from "../shared/adapters/dynamo-catalogue-reader.js";
import { createDynamoClient, DEFAULT_RETRY, type TableRef } from "../shared/adapters/dynamo-client.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../shared/adapters/dynamo-store.js";
import { createTable } from "../shared/adapters/dynamo-table.js";
import { acquireTrainingLock } from "../shared/adapters/dynamo-training-lock.js";
import { createRandom } from "../shared/domain/clustering/random.js";
import { buildFavouriteMatrix } from "../shared/domain/clustering/sparse-matrix.js";
import { trainModel } from "../shared/domain/clustering/train.js";
import { generateDataset } from "../shared/domain/evaluation/synthetic-dataset.js";
import { parseRatings } from "../shared/domain/input/ratings-parser.js";
import { itemNeighbours } from "../shared/domain/ranking/item-neighbours.js";
import { PUBLISHING_DEFAULTS, SERVING_DEFAULTS } from "../shared/domain/settings.js";
import type { CallerAuth } from "../shared/http/caller.js";

/** The Java options of the bench's DynamoDB Local (see main). */
const BENCH_JVM_OPTIONS = ["-XX:+UseParallelGC"];

const USAGE = `Usage: npm run bench:api -- [--users 2000] [--movies 3000] [--ratings 150000] [--k 12] [--rate 50]
       [--seconds 10] [--favourites 2000] [--concurrency 16] [--server-warmup 3000] [--json]

Latency of the recommendation handler against its own DynamoDB Local, at a fixed request rate, and
favourites recorded per second with concurrency.`;

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}

function parseFlags() {
  try {
    return parseArgs({
      args: argv,
      options: {
        users: { type: "string", default: "2000" },
        movies: { type: "string", default: "3000" },
        ratings: { type: "string", default: "150000" },
        k: { type: "string", default: "12" },
        rate: { type: "string", default: "50" },
        seconds: { type: "string", default: "10" },
        favourites: { type: "string", default: "2000" },
        concurrency: { type: "string", default: "16" },
        "server-warmup": { type: "string", default: "3000" },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const { values } = parseFlags();

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

const spec = {
  users: positive("users", values.users),
  movies: positive("movies", values.movies),
  ratings: positive("ratings", values.ratings),
  seed: 1,
};
const k = positive("k", values.k);
const rate = positive("rate", values.rate);
const seconds = positive("seconds", values.seconds);
const favouriteRequests = positive("favourites", values.favourites);
const concurrency = positive("concurrency", values.concurrency);
const serverWarmup = values["server-warmup"] === "0" ? 0 : positive("server-warmup", values["server-warmup"]);
const log = (line: string) => {
  if (!values.json) console.log(line);
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The issuer and app client of the bench's access-token claims (what API Gateway's authorizer passes on). */
const BENCH_AUTH = {
  issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench",
  clientIds: ["bench"],
};
const benchSubject = (userId: string | number) => `bench-user-${userId}`;

/** An event for user `pathParameters.userId`, with the claims of that user's verified access token. */
function event(pathParameters: Record<string, string>, body?: string): APIGatewayProxyEventV2 {
  const claims = {
    iss: BENCH_AUTH.issuer,
    client_id: BENCH_AUTH.clientIds[0]!,
    token_use: "access",
    sub: benchSubject(pathParameters.userId ?? ""),
  };
  return {
    version: "2.0",
    routeKey: "bench",
    rawPath: "/bench",
    rawQueryString: "",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    pathParameters,
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: "bench",
      apiId: "bench",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: {
        method: "GET",
        path: "/bench",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "bench",
      },
      requestId: "bench",
      routeKey: "bench",
      stage: "$default",
      time: "",
      timeEpoch: 0,
      ...{ authorizer: { jwt: { claims, scopes: null } } },
    },
  };
}

async function main(): Promise<void> {
  // DynamoDB Local stands in for DynamoDB, whose latency is not a JVM's. On 2 cores, with its default collector
  // (G1) p99 was under 20 ms in 3 of 6 runs (14.7-29.3 ms), with the throughput collector in 9 of 11 (16.2-31.1
  // ms), before the counts were read without titles; young pauses were 4-10 ms with either (-Xlog:gc).
  const dynamo = await startDynamoDbLocal({ jvmOptions: BENCH_JVM_OPTIONS });
  try {
    // The client the functions use (createTableRef's), with more sockets than the default 50: open-loop load
    // queues requests when the server falls behind.
    const client = createDynamoClient({ region: "us-east-1", endpoint: dynamo.endpoint, maxSockets: 256 });
    const table: TableRef = { client, tableName: "bench", retry: DEFAULT_RETRY };
    await createTable(client, table.tableName);

    let started = performance.now();
    const dataset = generateDataset(spec);
    const { table: ratings } = parseRatings(dataset.ratingsCsv);
    const matrix = buildFavouriteMatrix(ratings);
    const model = trainModel(ratings, { k, seed: 1 }, matrix);
    log(
      `trained k=${model.clusters.length} on ${spec.users} users x ${spec.movies} movies, ${spec.ratings} ratings in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    started = performance.now();
    await acquireTrainingLock(table, "bench", Date.now(), 600_000);
    await beginModelVersion(table, "bench1", "bench", Date.now());
    const { items } = await writeModelVersion(
      table,
      {
        version: "bench1",
        trainedAtMs: Date.now(),
        model,
        favourites: matrix,
        movies: dataset.movies,
        source: { bucket: "bench", key: "ratings.csv", versionId: null },
        neighbours: itemNeighbours(matrix),
      },
      {
        clusterTopN: PUBLISHING_DEFAULTS.clusterTopN,
        popularMinVotes: PUBLISHING_DEFAULTS.popularMinVotes,
        popularListSize: PUBLISHING_DEFAULTS.popularListSize,
        concurrency: PUBLISHING_DEFAULTS.writeConcurrency,
      },
    );
    await publishModelVersion(table, "bench1", "bench", Date.now());
    const writeSeconds = (performance.now() - started) / 1000;
    log(`wrote ${items} items in ${writeSeconds.toFixed(1)} s (${Math.round(items / writeSeconds)} items/s)`);

    const userIds = model.userIds;
    // Every request is a signed-in user's: link each user's subject to its id, as its first sign-in would.
    started = performance.now();
    const accounts = bindAccountWriter(table);
    await runPool(
      Array.from(userIds, (id) => () => accounts.linkAccount(benchSubject(id), id)),
      concurrency,
    );
    log(`linked ${userIds.length} accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Each handler gets its own account reader (its own cache of links), as each function instance has.
    const caller = (): CallerAuth => ({ ...BENCH_AUTH, accounts: bindAccountReader(table) });
    // DynamoDB Local is a JVM: for its first few thousand reads it runs partly interpreted while its JIT
    // compiles on the same 2 cores (its CPU per recommendation fell from ~20 ms to ~4.5 ms over 4,000 of them).
    // Warm the server, as DynamoDB always is, through a separate handler (its own neighbour cache and users),
    // so the measured handler starts as before: cold caches, then its own 200 warm-up requests.
    started = performance.now();
    const warmServer = createRecommendations({
      store: bindApiStore(table, { candidatePool: SERVING_DEFAULTS.candidatePool }),
      caller: caller(),
      neighbourWeight: SERVING_DEFAULTS.neighbourWeight,
      catalogue: bindCatalogueReader(table),
    });
    const warmRandom = createRandom(11);
    for (let i = 0; i < serverWarmup; i++) {
      const result = await warmServer(event({ userId: String(userIds[warmRandom.int(userIds.length)]!) }));
      if (result.statusCode !== 200)
        throw new Error(`server warm-up failed: ${result.statusCode} ${result.body}`);
    }
    if (serverWarmup > 0) {
      log(
        `warmed DynamoDB Local with ${serverWarmup} recommendations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }

    const store = bindApiStore(table, { candidatePool: SERVING_DEFAULTS.candidatePool });
    // As every deployed function is wired (functions/get-recommendations/handler.ts): with the catalogue, which
    // names the movies, so the clusters' counts are read without titles.
    const recommend = createRecommendations({
      store,
      caller: caller(),
      neighbourWeight: SERVING_DEFAULTS.neighbourWeight,
      catalogue: bindCatalogueReader(table),
    });
    const random = createRandom(7);
    const pickUser = () => String(userIds[random.int(userIds.length)]!);

    for (let i = 0; i < 200; i++) {
      const result = await recommend(event({ userId: pickUser() }));
      if (result.statusCode !== 200)
        throw new Error(`warm-up request failed: ${result.statusCode} ${result.body}`);
    }

    const total = rate * seconds;
    const interval = 1000 / rate;
    const latencies: number[] = [];
    let failures = 0;
    const begin = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const scheduled = begin + i * interval;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const userId = pickUser();
      inFlight.push(
        recommend(event({ userId })).then((result) => {
          if (result.statusCode !== 200) failures++;
          latencies.push(performance.now() - scheduled);
        }),
      );
    }
    await Promise.all(inFlight);
    const achieved = total / ((performance.now() - begin) / 1000);
    latencies.sort((a, b) => a - b);

    const record = createRecordFavourite({ store, caller: caller() });
    const movieIds = dataset.movies.map((m) => m.movieId);
    const favLatencies: number[] = [];
    let created = 0;
    let next = 0;
    const favStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < favouriteRequests) {
          next++;
          const userId = pickUser();
          const movieId = movieIds[random.int(movieIds.length)]!;
          const t0 = performance.now();
          const result = await record(event({ userId }, JSON.stringify({ movieId })));
          favLatencies.push(performance.now() - t0);
          if (result.statusCode === 201) created++;
          else if (result.statusCode !== 200) failures++;
        }
      }),
    );
    const favSeconds = (performance.now() - favStart) / 1000;
    favLatencies.sort((a, b) => a - b);

    const report = {
      dataset: {
        ...spec,
        k: model.clusters.length,
        serverWarmup,
        membershipWidth: model.membershipWidth,
        itemsWritten: items,
      },
      versionWrite: { seconds: round(writeSeconds), itemsPerSecond: Math.round(items / writeSeconds) },
      recommendations: {
        targetRate: rate,
        achievedRate: round(achieved),
        requests: total,
        p50Ms: round(percentile(latencies, 50)),
        p95Ms: round(percentile(latencies, 95)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
      },
      favourites: {
        requests: favouriteRequests,
        concurrency,
        created,
        perSecond: round(favouriteRequests / favSeconds),
        p50Ms: round(percentile(favLatencies, 50)),
        p99Ms: round(percentile(favLatencies, 99)),
      },
      failures,
      loadAverage: loadavg().map((x) => round(x)),
    };
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      const r = report.recommendations;
      const f = report.favourites;
      console.log("");
      console.log("| measure                                   | value |");
      console.log("| ----------------------------------------- | ----- |");
      console.log(`| recommendations: rate (target/achieved)   | ${r.targetRate}/${r.achievedRate} req/s |`);
      console.log(
        `| recommendations: p50 / p95 / p99 / max    | ${r.p50Ms} / ${r.p95Ms} / ${r.p99Ms} / ${r.maxMs} ms |`,
      );
      console.log(
        `| favourites: recorded per second           | ${f.perSecond} (concurrency ${f.concurrency}) |`,
      );
      console.log(`| favourites: p50 / p99                     | ${f.p50Ms} / ${f.p99Ms} ms |`);
      console.log(
        `| model version write                       | ${items} items, ${report.versionWrite.itemsPerSecond} items/s |`,
      );
      console.log(`| failed requests                           | ${failures} |`);
      console.log(`| machine load average (1/5/15 min)         | ${report.loadAverage.join(" / ")} |`);
    }
    client.destroy();
    if (failures > 0) process.exitCode = 1;
  } finally {
    await dynamo.stop();
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

await main();
