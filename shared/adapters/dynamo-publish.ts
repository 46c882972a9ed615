/**
 * Publishing a model version: begin (the pointer names it pending), write its items, mark it ready, catch up
 * the API favourites recorded since the snapshot (dynamo-catch-up.ts), flip the pointer. Readers follow the
 * active version until the flip and the new one after; a half-written version is never visible.
 */
import { ConflictError } from "../domain/errors.js";
import {
  buildVersionItems,
  checkVersionId,
  checkVersionInput,
  type ModelVersionInput,
  type VersionItemOptions,
} from "../domain/publishing/version-items.js";
import { batchWriteAll } from "./dynamo-batch.js";
import { catchUpPendingVersion } from "./dynamo-catch-up.js";
import { putItem, type TableRef, transactWrite, updateItemIf } from "./dynamo-client.js";
import { type Item, LN, N, S } from "./dynamo-codec.js";
import { MODEL_PK, POINTER_SK } from "./dynamo-keys.js";
import { lockHeldCheck } from "./dynamo-training-lock.js";
import { encodeVersionItem, encodeVersionMeta } from "./dynamo-version-encoding.js";
import { readVersionMeta, type VersionMeta } from "./dynamo-version-meta.js";

/** Options of writeModelVersion: what goes into the version, and how it is written. */
export interface WriteVersionOptions extends VersionItemOptions {
  /** Parallel BatchWriteItem calls. */
  readonly concurrency: number;
  /** Items written so far, of the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

/**
 * Updates the pointer item in one transaction with a check that `owner` holds the live training lock;
 * "condition-failed" when the lock is not held or the update's condition does not hold (nothing written).
 */
async function updatePointerUnderLock(
  table: TableRef,
  owner: string,
  nowMs: number,
  update: { readonly expression: string; readonly condition: string; readonly values: Item },
): Promise<"written" | "condition-failed"> {
  const outcome = await transactWrite(table, [
    lockHeldCheck(table, owner, nowMs),
    {
      Update: {
        TableName: table.tableName,
        Key: { pk: S(MODEL_PK), sk: S(POINTER_SK) },
        UpdateExpression: update.expression,
        ConditionExpression: update.condition,
        ExpressionAttributeValues: update.values,
      },
    },
  ]);
  return outcome.committed ? "written" : "condition-failed";
}

/**
 * Marks `version` as the pending version (state `writing`), under the lock `owner` must hold. From now on
 * readers still follow the active version; a pending version left by a crashed run is replaced.
 */
export async function beginModelVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<void> {
  checkVersionId(version);
  const outcome = await updatePointerUnderLock(table, owner, nowMs, {
    expression: "SET pending = :version, pendingState = :writing, updatedAt = :now",
    condition: "attribute_not_exists(active) OR active <> :version",
    values: { ":version": S(version), ":writing": S("writing"), ":now": N(nowMs) },
  });
  if (outcome === "condition-failed") {
    throw new ConflictError(
      `cannot begin ${version}: the lock is not held by ${owner}, or it is already active`,
    );
  }
}

/**
 * Writes a complete model version: its metadata (state `writing`), then every item buildVersionItems makes
 * (catalogue, cluster counts and profiles, global counts, users, popular list); then marks the metadata
 * `complete`. Nothing becomes visible until publishModelVersion.
 */
export async function writeModelVersion(
  table: TableRef,
  input: ModelVersionInput,
  options: WriteVersionOptions,
): Promise<{ items: number }> {
  checkVersionInput(input);
  const writeMeta = (state: "writing" | "complete") =>
    putItem(table, { Item: encodeVersionMeta(input, state) });
  await writeMeta("writing");
  const requests = buildVersionItems(input, options).map((item) => ({
    PutRequest: { Item: encodeVersionItem(input.version, item) },
  }));
  await batchWriteAll(table.client, table.tableName, requests, {
    concurrency: options.concurrency,
    policy: table.retry,
    onBatch: (written) => options.onProgress?.(written, requests.length),
  });
  await writeMeta("complete");
  return { items: requests.length + 1 };
}

/** A version's metadata, which must say every item is written: ConflictError when it is missing or `writing`. */
async function completeVersionMeta(table: TableRef, version: string): Promise<VersionMeta> {
  const meta = await readVersionMeta(table, version);
  if (meta?.state !== "complete") throw new ConflictError(`version ${version} is not completely written`);
  return meta;
}

/**
 * Marks the pending version `ready`: from now on every favourite write also counts in it (placing users it
 * has no item for), so the catch-up pass that follows cannot miss a write that happens while it runs.
 */
export async function markVersionReady(table: TableRef, version: string): Promise<void> {
  await completeVersionMeta(table, version);
  const outcome = await updateItemIf(table, {
    Key: { pk: S(MODEL_PK), sk: S(POINTER_SK) },
    UpdateExpression: "SET pendingState = :ready",
    ConditionExpression: "pending = :version",
    ExpressionAttributeValues: { ":version": S(version), ":ready": S("ready") },
  });
  if (outcome === "condition-failed")
    throw new ConflictError(`version ${version} is not the pending version`);
}

/** Flips the pointer to the ready pending version in one conditional write, under the lock `owner` holds. */
export async function activateVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<void> {
  const meta = await completeVersionMeta(table, version);
  const outcome = await updatePointerUnderLock(table, owner, nowMs, {
    expression:
      "SET active = :version, activeUsers = :users, activeSizes = :sizes, updatedAt = :now REMOVE pending, pendingState",
    condition: "pending = :version AND pendingState = :ready",
    values: {
      ":version": S(version),
      ":ready": S("ready"),
      ":users": N(meta.info.users),
      ":sizes": LN(meta.info.clusterSizes),
      ":now": N(nowMs),
    },
  });
  if (outcome === "condition-failed") {
    throw new ConflictError(`flip to ${version} refused: lock lost or version no longer pending`);
  }
}

/**
 * Makes a completely written version live: marks it ready, catches up every API favourite recorded or
 * removed since the snapshot it was trained from, then flips the pointer. Readers see the old version until
 * the flip and the new one after; no favourite recorded before the flip is missing from the new counts.
 */
export async function publishModelVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<{ caughtUp: number }> {
  await markVersionReady(table, version);
  const caughtUp = await catchUpPendingVersion(table, version);
  await activateVersion(table, version, owner, nowMs);
  return { caughtUp };
}
