/**
 * The training run's table port (shared/domain/training-ports.ts TrainingStore) over DynamoDB: the lock,
 * the API favourites snapshot, publishing and cleanup, each from its own adapter module.
 */

import type { VersionItemOptions } from "../domain/publishing/version-items.js";
import type { TrainingStore } from "../domain/training-ports.js";
import type { TableRef } from "./dynamo-client.js";
import { pruneCountedIn } from "./dynamo-counted-prune.js";
import { snapshotFavourites } from "./dynamo-favourite-scan.js";
import { readPointer } from "./dynamo-pointer.js";
import { beginModelVersion, publishModelVersion, writeModelVersion } from "./dynamo-publish.js";
import { acquireTrainingLock, releaseTrainingLock, renewTrainingLock } from "./dynamo-training-lock.js";
import { removeSupersededVersions } from "./dynamo-version-cleanup.js";
import { markVersionLive } from "./dynamo-version-history.js";
import { listModelVersions } from "./dynamo-version-list.js";
import { readVersionMeta } from "./dynamo-version-meta.js";

/** Binds the training store to one table; `options` say what goes into a version and how fast it is written. */
export function createDynamoTrainingStore(
  table: TableRef,
  options: VersionItemOptions & { readonly writeConcurrency: number; readonly versionsKept: number },
): TrainingStore {
  return {
    acquireTrainingLock: (owner, nowMs, ttlMs) => acquireTrainingLock(table, owner, nowMs, ttlMs),
    renewTrainingLock: (owner, nowMs, ttlMs) => renewTrainingLock(table, owner, nowMs, ttlMs),
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
    publishModelVersion: async (version, owner, nowMs) => {
      const published = await publishModelVersion(table, version, owner, nowMs);
      await markVersionLive(table, version, nowMs);
      return published;
    },
    removeSupersededVersions: async () => {
      const removed = await removeSupersededVersions(table, options.versionsKept);
      // Favourite items mark the versions that count them: drop the marks of versions that are gone.
      if (removed.length > 0)
        await pruneCountedIn(table, new Set((await listModelVersions(table)).map((v) => v.version)));
      return removed;
    },
    storedVersions: async () => (await listModelVersions(table)).map((v) => v.version),
  };
}
