import { randomUUID } from "node:crypto";
import { createTableRef } from "../../shared/adapters/dynamo-client.js";
import { createDynamoTrainingStore } from "../../shared/adapters/dynamo-training-store.js";
import { createS3ObjectStore } from "../../shared/adapters/s3-objects.js";
import type { TrainConfig } from "../../shared/config.js";
import { trainingRunner } from "../../shared/parallel/worker-pool.js";
import type { Deps, TrainSettings } from "./create-handler.js";

/** s3rver accepts only its own fixed key pair; it is only used when an endpoint override is configured. */
const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** The training settings a config names: the input objects' keys and the clustering parameters. */
export function trainSettings(config: TrainConfig): TrainSettings {
  return {
    ratingsKey: config.ratingsKey,
    moviesKey: config.moviesKey,
    k: config.k,
    seed: config.seed,
    favouriteThreshold: config.favouriteThreshold,
    minClusterSize: config.minClusterSize,
    plausibility: config.plausibility,
  };
}

/** Everything the training handler needs but logging and metrics, built from its config (one cold start). */
export function createTrainDeps(config: TrainConfig): Omit<Deps, "log" | "metrics"> {
  // One worker thread per vCPU (6 at 10 GB) for the k sweep, k-means restarts and item neighbours.
  const parallel = trainingRunner();
  return {
    objects: createS3ObjectStore({
      bucket: config.bucketName,
      region: config.region,
      ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, credentials: S3RVER_CREDENTIALS } : {}),
    }),
    store: createDynamoTrainingStore(createTableRef(config), config),
    settings: trainSettings(config),
    ...(parallel ? { parallel } : {}),
    now: () => Date.now(),
    runId: () => randomUUID(),
  };
}
