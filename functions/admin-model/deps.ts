import { randomUUID } from "node:crypto";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { rollbackToVersion } from "../../shared/adapters/dynamo-rollback.js";
import { acquireTrainingLock, releaseTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { listModelVersions } from "../../shared/adapters/dynamo-version-list.js";
import type { AdminDeps } from "./create-handler.js";

/** Binds the administrative handler to the table; `retrain` starts a training run its own way. */
export function createAdminDeps(table: TableRef, retrain: () => Promise<unknown>): AdminDeps {
  return {
    listVersions: () => listModelVersions(table),
    rollback: (version, owner, nowMs) => rollbackToVersion(table, version, owner, nowMs),
    acquireTrainingLock: (owner, nowMs, ttlMs) => acquireTrainingLock(table, owner, nowMs, ttlMs),
    releaseTrainingLock: (owner) => releaseTrainingLock(table, owner),
    retrain,
    now: () => Date.now(),
    runId: () => randomUUID(),
  };
}
