/**
 * `npm run bench:train-e2e -- --ratings <file> [--movies <file>] [--json]`: training end to end through the
 * real training function, as `npm start` runs it: starts its own DynamoDB Local (in memory) and s3rver,
 * uploads the files, invokes the train-model handler built from the same config and wiring, and prints each
 * stage's time (parse, k selection, k-means, neighbours, write, publish), items written, peak RSS and
 * whether it published.
 */
import os, { availableParallelism } from "node:os";
import path from "node:path";
import type { RunProgress, TrainResult } from "../functions/train-model/create-handler.js";
import { LOCAL_NAMES, startLocalStack } from "../local/local-stack.js";
import { uploadSampleData } from "../local/sample-data.js";
import { trainingRunner } from "../shared/parallel/worker-pool.js";
import { CliArgs, runCli } from "./cli-args.js";
import { checkInputFile } from "./cli-files.js";

const USAGE = `
Usage: npm run bench:train-e2e -- --ratings <file> [--movies <file>] [--workers N] [--json]

Trains end to end through the train-model handler, exactly as npm start does, on its own DynamoDB Local
(in memory) and s3rver: upload, parse (read and build the matrix), k selection, k-means, neighbours, write, publish.
  --ratings <file>   ratings CSV (userId,movieId,rating[,timestamp])
  --movies <file>    movies.csv (titles and genres)
  --workers N        worker threads for the k sweep, k-means and neighbours (default: one per core, as
                     the function runs; 1: single-threaded)
  --json             one JSON object: totalSeconds, stages, peakRssBytes, itemsWritten, published, k, ...
Training settings come from the CINECLUSTER_* variables (README), as in npm start.
`;

type Stage = "upload" | "parse" | "k selection" | "k-means" | "neighbours" | "write" | "publish";

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, { ratings: "value", movies: "value", workers: "value", json: "switch" });
  const ratings = checkInputFile("ratings", args.required("ratings"));
  const moviesFlag = args.optional("movies");
  const movies = moviesFlag === undefined ? undefined : checkInputFile("movies", moviesFlag);
  const json = args.has("json");
  const workers = args.int("workers", { default: availableParallelism(), min: 1, max: 64 });
  const say = (line: string) => {
    if (!json) process.stderr.write(`${line}\n`);
  };

  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 200);
  const stack = await startLocalStack({
    dataDir: path.join(os.tmpdir(), `cinecluster-bench-e2e-${process.pid}`),
    reset: true,
    dynamoInMemory: true,
  });
  const stages = new Map<Stage, number>();
  let stage: Stage = "upload";
  let stageStart = performance.now();
  const enter = (next: Stage) => {
    if (next === stage) return;
    stages.set(stage, (stages.get(stage) ?? 0) + (performance.now() - stageStart) / 1000);
    say(`  ${stage}: ${stages.get(stage)!.toFixed(1)} s`);
    stage = next;
    stageStart = performance.now();
  };
  let itemsWritten = 0;
  let k = 0;
  let result: TrainResult | undefined;
  let failure: unknown;
  const started = performance.now();
  try {
    Object.assign(process.env, stack.env);
    const { createTrainDeps } = await import("../functions/train-model/deps.js");
    const { createHandler } = await import("../functions/train-model/create-handler.js");
    const { loadTrainConfig } = await import("../shared/config.js");
    const config = loadTrainConfig();
    const trainDeps = createTrainDeps(config);
    say(`DynamoDB Local ${stack.dynamo.endpoint}, s3rver ${stack.s3.endpoint}; uploading ${ratings} ...`);
    await uploadSampleData(
      trainDeps.objects,
      { ratingsKey: LOCAL_NAMES.ratingsKey, moviesKey: LOCAL_NAMES.moviesKey },
      { kind: "files", ratings, movies },
      os.tmpdir(),
      say,
    );
    enter("parse");
    const log = (message: string, extra?: Record<string, unknown>) => {
      if (message === "model trained") k = Number(extra?.k ?? 0);
      if (message === "model published") enter("publish");
      say(`    ${message}`);
    };
    const onProgress = (progress: RunProgress) => {
      // Stages start at the events that precede them: worker threads report sweep candidates and
      // iterations only when their part ends, so those events would move time into the stage before.
      if (progress.stage === "matrix") enter("k selection");
      else if (progress.stage === "fitting") enter("k-means");
      else if (progress.stage === "done") enter("neighbours");
      else if (progress.stage === "writing") enter("write");
    };
    // The write is the adapter call deps.ts makes, with the same options, so its item count is seen.
    const { createTableRef } = await import("../shared/adapters/dynamo-client.js");
    const { writeModelVersion } = await import("../shared/adapters/dynamo-publish.js");
    const table = createTableRef(config);
    const store = {
      ...trainDeps.store,
      writeModelVersion: async (input: Parameters<typeof trainDeps.store.writeModelVersion>[0]) => {
        const written = await writeModelVersion(table, input, {
          clusterTopN: config.clusterTopN,
          popularMinVotes: config.popularMinVotes,
          popularListSize: config.popularListSize,
          concurrency: config.writeConcurrency,
        });
        itemsWritten = written.items;
      },
      publishModelVersion: async (version: string, owner: string, nowMs: number) => {
        enter("publish");
        return trainDeps.store.publishModelVersion(version, owner, nowMs);
      },
    };
    // The function's own runner is one thread per core; --workers replaces it (1: the single-threaded path).
    const { parallel: _ownRunner, ...depsWithoutRunner } = trainDeps;
    const parallel = trainingRunner(workers);
    const train = createHandler({
      ...depsWithoutRunner,
      ...(parallel ? { parallel } : {}),
      store,
      log: { info: log, warn: log, error: log },
      metrics: { succeeded: () => undefined, failed: () => undefined, refused: () => undefined },
      onProgress,
    });
    result = (await train({ source: "cinecluster.bench" })) as TrainResult;
  } catch (error) {
    failure = error;
  } finally {
    enter("upload");
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    await stack.stop();
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const figures = {
    totalSeconds: round(totalSeconds),
    trainingSeconds: round(totalSeconds - (stages.get("upload") ?? 0)),
    workers,
    stages: Object.fromEntries([...stages].map(([name, seconds]) => [name, round(seconds)])),
    peakRssBytes: peakRss,
    itemsWritten,
    published: result?.status === "trained",
    k: result?.k ?? k,
    clusters: result?.clusters ?? null,
    users: result?.users ?? null,
    favourites: result?.favourites ?? null,
    rowsRead: result?.rowsRead ?? null,
    version: result?.version ?? null,
    error:
      failure instanceof Error
        ? `${failure.name}: ${failure.message}`
        : failure === undefined
          ? null
          : String(failure),
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map(round),
  };
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    const lines = [
      `published:     ${figures.published}${figures.error ? ` (${figures.error})` : ""}`,
      `k:             ${figures.k} (${figures.clusters} clusters), ${figures.users} users, ${figures.favourites} favourites, ${figures.rowsRead} rows`,
      ...[...stages].map(([name, seconds]) => `${name.padEnd(14)} ${seconds.toFixed(1)} s`),
      `total:         ${figures.totalSeconds.toFixed(1)} s (training ${figures.trainingSeconds.toFixed(1)} s, without the upload; ${workers} worker${workers === 1 ? "" : "s"})`,
      `items written: ${itemsWritten}`,
      `peak RSS:      ${(peakRss / 2 ** 20).toFixed(0)} MiB (this node process; DynamoDB Local's Java is apart)`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  if (!figures.published) process.exitCode = 1;
});

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
