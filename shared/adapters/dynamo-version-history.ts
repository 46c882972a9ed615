import { type TableRef, updateItemIf } from "./dynamo-client.js";
import { N, S } from "./dynamo-codec.js";
import { versionKey } from "./dynamo-keys.js";

/**
 * Stamps a version's metadata with the time it was last made live (`liveAt`, epoch ms), after its publish or
 * rollback flipped the pointer to it. Cleanup keeps the most recently live versions for rollback; a version
 * never stamped (a run that failed before its flip) is never kept. A missing version is left alone.
 */
export async function markVersionLive(table: TableRef, version: string, nowMs: number): Promise<void> {
  const key = versionKey(version);
  // "condition-failed": the version is gone, and there is nothing to stamp.
  await updateItemIf(table, {
    Key: { pk: S(key.pk), sk: S(key.sk) },
    UpdateExpression: "SET liveAt = :now",
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeValues: { ":now": N(nowMs) },
  });
}
