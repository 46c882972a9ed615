import { randomUUID } from "node:crypto";
import type { TrainConfig } from "../../shared/config.js";
import { createTableRef, type TableRef } from "../../shared/adapters/dynamo-client.js";
import { snapshotFavourites } from "../../shared/adapters/dynamo-favourite-scan.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { acquireTrainingLock, releaseTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { removeSupersededVersions } from "../../shared/adapters/dynamo-version-cleanup.js";
import { readPointer } from "../../shared/adapters/dynamo-user-state.js";
import { readVersionMeta } from "../../shared/adapters/dynamo-version-meta.js";
import { createS3ObjectStore } from "../../shared/adapters/s3-objects.js";
import { renderElbowSvg } from "../../shared/domain/clustering/elbow-svg.js";
import { itemNeighbours } from "../../shared/domain/ranking/item-neighbours.js";
import { trainModel } from "../../shared/domain/clustering/train.js";
import { trainingRunner } from "../../shared/parallel/worker-pool.js";
import type { Deps, TrainingStore, TrainSettings } from "./create-handler.js";

/** s3rver accepts only its own fixed key pair; it is only used when an endpoint override is configured. */
const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** Binds the training run's storage port to the DynamoDB table. */
export function bindTrainingStore(
  table: TableRef,
  options: Pick<TrainConfig, "clusterTopN" | "popularMinVotes" | "popularListSize" | "writeConcurrency">,
): TrainingStore {
  return {
    acquireTrainingLock: (owner, nowMs, ttlMs) => acquireTrainingLock(table, owner, nowMs, ttlMs),
    releaseTrainingLock: (owner) => releaseTrainingLock(table, owner),
    activeVersion: async () => (await readPointer(table)).active?.version ?? null,
    versionFigures: async (version) => {
      const meta = await readVersionMeta(table, version);
      if (meta === null) return null;
      const { info } = meta;
      return {
        users: info.users,
        favourites: info.stats.favourites,
        movies: info.stats.movies,
        k: info.clusterSizes.length,
      };
    },
    snapshotApiFavourites: async () => {
      const records = await snapshotFavourites(table);
      const pair = ({ userId, movieId }: { userId: number; movieId: number }) => ({ userId, movieId });
      return {
        recorded: records.filter((r) => r.state === "active").map(pair),
        removed: records.filter((r) => r.state === "removed").map(pair),
      };
    },
    beginModelVersion: (version, owner, nowMs) => beginModelVersion(table, version, owner, nowMs),
    writeModelVersion: async (input) => {
      await writeModelVersion(table, input, {
        clusterTopN: options.clusterTopN,
        popularMinVotes: options.popularMinVotes,
        popularListSize: options.popularListSize,
        concurrency: options.writeConcurrency,
      });
    },
    publishModelVersion: (version, owner, nowMs) => publishModelVersion(table, version, owner, nowMs),
    removeSupersededVersions: () => removeSupersededVersions(table),
  };
}

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
    store: bindTrainingStore(createTableRef(config), config),
    trainer: {
      train: (table, options) => trainModel(table, parallel ? { ...options, parallel } : options),
      renderChart: renderElbowSvg,
      neighbours: (table) => itemNeighbours(table, undefined, parallel),
    },
    settings: trainSettings(config),
    now: () => Date.now(),
    runId: () => randomUUID(),
  };
}
