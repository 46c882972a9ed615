import { NotFoundError } from "../domain/errors.js";
import type { RecordOutcome } from "../domain/ports.js";
import { putItemIf, type TableRef, transactWrite } from "./dynamo-client.js";
import { N, S } from "./dynamo-codec.js";
import { notActiveFavouriteCheck, removeFavourite } from "./dynamo-favourite-writer.js";
import { dismissedSk, userPk } from "./dynamo-keys.js";
import { isCountedFavourite } from "./dynamo-user-state.js";
import { inWriteRounds } from "./dynamo-write-rounds.js";

function dismissedItem(userId: number, movieId: number, state: "dismissed" | "undone", nowMs: number) {
  return {
    pk: S(userPk(userId)),
    sk: S(dismissedSk(movieId)),
    userId: N(userId),
    movieId: N(movieId),
    state: S(state),
    updatedAt: N(nowMs),
  };
}

/**
 * Dismisses a movie for a user ("seen it / not interested") exactly once: `created: false` when it already
 * is dismissed. A movie counted as their favourite is removed first (a tombstone, so a retrain does not bring
 * it back and its counts go down once); then ONE transaction puts the dismissed item in the user's partition
 * (where the recommendation read finds it in the same Query as the user's model items) and checks that the
 * movie is not an active recorded favourite: a favourite recorded after the state was read cancels it, and
 * the next round removes that favourite (recordFavourite checks the reverse). NotFoundError("movie") for an
 * unknown movie.
 */
export async function dismissMovie(
  table: TableRef,
  userId: number,
  movieId: number,
  nowMs: number,
): Promise<RecordOutcome> {
  return inWriteRounds(table, userId, movieId, "dismissal", async (state) => {
    if (isCountedFavourite(state, movieId)) {
      try {
        await removeFavourite(table, userId, movieId, nowMs);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error; // removed meanwhile: nothing left to un-count
      }
    }
    const outcome = await transactWrite(table, [
      {
        Put: {
          TableName: table.tableName,
          Item: dismissedItem(userId, movieId, "dismissed", nowMs),
          ConditionExpression: "attribute_not_exists(pk) OR #state <> :dismissed",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":dismissed": S("dismissed") },
        },
      },
      notActiveFavouriteCheck(table.tableName, userId, movieId),
    ]);
    if (outcome.committed) return { created: true };
    if (outcome.failed[0]) return { created: false };
    return undefined; // a favourite was recorded meanwhile: the next round removes it
  });
}

/**
 * Undoes a dismissal (the item stays, as state "undone"): the movie may be recommended again. It does not
 * become a favourite again. NotFoundError("dismissed") when the movie is not dismissed.
 */
export async function undoDismissal(
  table: TableRef,
  userId: number,
  movieId: number,
  nowMs: number,
): Promise<void> {
  const outcome = await putItemIf(table, {
    Item: dismissedItem(userId, movieId, "undone", nowMs),
    ConditionExpression: "#state = :dismissed",
    ExpressionAttributeNames: { "#state": "state" },
    ExpressionAttributeValues: { ":dismissed": S("dismissed") },
  });
  if (outcome === "condition-failed") {
    throw new NotFoundError("dismissed", `movie ${movieId} is not dismissed by user ${userId}`);
  }
}
