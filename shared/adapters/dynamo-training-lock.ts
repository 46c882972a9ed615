/**
 * The training lock: one item that at most one live training run holds, with an expiry so a crashed run's
 * lock lapses by itself. Publishing writes the pointer only together with a check that the lock is held.
 */
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { TABLE_SCHEMA } from "../constants.js";
import { ConflictError } from "../domain/errors.js";
import { deleteItemIf, putItemIf, type TableRef, updateItemIf } from "./dynamo-client.js";
import { N, S } from "./dynamo-codec.js";
import { LOCK_SK, MODEL_PK } from "./dynamo-keys.js";

/**
 * Takes the training lock for `ttlMs`: succeeds when nobody holds it, when it expired (a crashed run), or
 * when `owner` already holds it (renewal). ConflictError when another live run holds it.
 */
export async function acquireTrainingLock(
  table: TableRef,
  owner: string,
  nowMs: number,
  ttlMs: number,
): Promise<void> {
  const outcome = await putItemIf(table, {
    Item: {
      pk: S(MODEL_PK),
      sk: S(LOCK_SK),
      owner: S(owner),
      lockUntil: N(nowMs + ttlMs),
      [TABLE_SCHEMA.ttlAttribute]: N(Math.ceil((nowMs + ttlMs) / 1000) + 3600),
    },
    ConditionExpression: "attribute_not_exists(pk) OR lockUntil < :now OR #owner = :owner",
    ExpressionAttributeNames: { "#owner": "owner" },
    ExpressionAttributeValues: { ":now": N(nowMs), ":owner": S(owner) },
  });
  if (outcome === "condition-failed") throw new ConflictError("another training run holds the lock");
}

/**
 * Extends the lock `owner` holds to `nowMs + ttlMs` (the heartbeat of a long run). Only the holder renews: an
 * expired lock nobody took is still its holder's, but a lock another run took over (or that was released) is
 * not taken back; ConflictError says so. Safe to repeat: a retried renewal of a held lock succeeds again.
 */
export async function renewTrainingLock(
  table: TableRef,
  owner: string,
  nowMs: number,
  ttlMs: number,
): Promise<void> {
  const outcome = await updateItemIf(table, {
    Key: { pk: S(MODEL_PK), sk: S(LOCK_SK) },
    UpdateExpression: "SET lockUntil = :until, #ttl = :ttl",
    ConditionExpression: "#owner = :owner",
    ExpressionAttributeNames: { "#owner": "owner", "#ttl": TABLE_SCHEMA.ttlAttribute },
    ExpressionAttributeValues: {
      ":owner": S(owner),
      ":until": N(nowMs + ttlMs),
      ":ttl": N(Math.ceil((nowMs + ttlMs) / 1000) + 3600),
    },
  });
  if (outcome === "condition-failed") {
    throw new ConflictError("the training lock was lost: another run took it over");
  }
}

/** Releases the lock if `owner` holds it; releasing a lock someone else took over is a no-op. */
export async function releaseTrainingLock(table: TableRef, owner: string): Promise<void> {
  // "condition-failed": someone else holds it now, which is theirs to release.
  await deleteItemIf(table, {
    Key: { pk: S(MODEL_PK), sk: S(LOCK_SK) },
    ConditionExpression: "#owner = :owner",
    ExpressionAttributeNames: { "#owner": "owner" },
    ExpressionAttributeValues: { ":owner": S(owner) },
  });
}

/** A transaction part that holds only while `owner` holds the live (unexpired at `nowMs`) lock. */
export function lockHeldCheck(table: TableRef, owner: string, nowMs: number): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: table.tableName,
      Key: { pk: S(MODEL_PK), sk: S(LOCK_SK) },
      ConditionExpression: "#owner = :owner AND lockUntil >= :now",
      ExpressionAttributeNames: { "#owner": "owner" },
      ExpressionAttributeValues: { ":owner": S(owner), ":now": N(nowMs) },
    },
  };
}
