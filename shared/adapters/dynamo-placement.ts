/**
 * Placement of new users (write side): a user a version has no item for is placed by their favourites the
 * way POST /recommendations places picks (closeness to the centroids, soft membership), and the placement is
 * stored so every later request agrees on it.
 */
import { StoreError } from "../domain/errors.js";
import type { PlacedMembership } from "../domain/ranking/placement.js";
import { putItemIf, type TableRef } from "./dynamo-client.js";
import { placeFavouritesIn } from "./dynamo-closeness.js";
import { B, BOOL, type Item, LN, N, S } from "./dynamo-codec.js";
import { userPk, userVersionSk, versionUsersGsiPk } from "./dynamo-keys.js";
import { placedUser, readUserVersion, type UserVersion } from "./dynamo-user-state.js";

/** A placement as the user's item in a version (its memberships, strongest first; no trained favourites). */
function placementItem(userId: number, version: string, memberships: readonly PlacedMembership[]): Item {
  return {
    pk: S(userPk(userId)),
    sk: S(userVersionSk(version)),
    cluster: N(memberships[0]!.clusterId),
    mc: LN(memberships.map((m) => m.clusterId)),
    mw: LN(memberships.map((m) => m.weight)),
    favs: B(new Uint8Array(0)),
    placed: BOOL(true),
    gsi1pk: S(versionUsersGsiPk(version, userId)),
    gsi1sk: N(userId),
  };
}

/**
 * Places a user the version has no item for by their favourites (placeFavouritesIn: closeness to the
 * version's centroids, as picks are placed), and stores the placement with a condition so concurrent
 * requests agree on one. Returns the stored placement.
 */
export async function ensurePlacement(
  table: TableRef,
  userId: number,
  version: string,
  favourites: readonly number[],
): Promise<UserVersion> {
  const memberships = await placeFavouritesIn(table, userId, version, favourites);
  const outcome = await putItemIf(table, {
    Item: placementItem(userId, version, memberships),
    ConditionExpression: "attribute_not_exists(pk)",
  });
  if (outcome === "written") return placedUser(version, memberships);
  // Another request placed the user first: theirs is the placement.
  const stored = await readUserVersion(table, userId, version);
  if (!stored) throw new StoreError(`placement of user ${userId} in ${version} vanished`);
  return stored;
}
