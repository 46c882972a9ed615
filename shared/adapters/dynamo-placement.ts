/**
 * Placement of new users (write side): a user a version has no item for is placed in the nearest cluster
 * for their favourites, and the placement is stored so every later request agrees on it.
 */
import { StoreError } from "../domain/errors.js";
import { putItemIf, type TableRef } from "./dynamo-client.js";
import { B, BOOL, type Item, LN, N, S } from "./dynamo-codec.js";
import { nearestClusterIn } from "./dynamo-count-reader.js";
import { userPk, userVersionSk, versionUsersGsiPk } from "./dynamo-keys.js";
import { placedUser, readUserVersion, type UserVersion } from "./dynamo-user-state.js";

/** A placement as the user's item in a version (one membership, weight 1, no trained favourites). */
function placementItem(userId: number, version: string, clusterId: number): Item {
  return {
    pk: S(userPk(userId)),
    sk: S(userVersionSk(version)),
    cluster: N(clusterId),
    mc: LN([clusterId]),
    mw: LN([1]),
    favs: B(new Uint8Array(0)),
    placed: BOOL(true),
    gsi1pk: S(versionUsersGsiPk(version, userId)),
    gsi1sk: N(userId),
  };
}

/**
 * Places a user the version has no item for in the nearest cluster for their favourites (the training core's
 * coveringCluster rule, on the version's stored counts), and stores the placement with a condition so
 * concurrent requests agree on one. Returns the stored placement.
 */
export async function ensurePlacement(
  table: TableRef,
  userId: number,
  version: string,
  favourites: readonly number[],
): Promise<UserVersion> {
  const clusterId = await nearestClusterIn(table, userId, version, favourites);
  const outcome = await putItemIf(table, {
    Item: placementItem(userId, version, clusterId),
    ConditionExpression: "attribute_not_exists(pk)",
  });
  if (outcome === "written") return placedUser(version, clusterId);
  // Another request placed the user first: theirs is the placement.
  const stored = await readUserVersion(table, userId, version);
  if (!stored) throw new StoreError(`placement of user ${userId} in ${version} vanished`);
  return stored;
}
