/**
 * Favourite writes (write side): record and remove a favourite exactly once, each in ONE transaction that
 * stores the favourite item and moves the counts of every version readers may see, checked against the
 * pointer as read. The publish's catch-up pass commits its changes through the same transaction.
 */
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { ConflictError, NotFoundError, StoreError, ThrottledError } from "../domain/errors.js";
import type { MovieSummary, RecordOutcome } from "../domain/ports.js";
import { type TableRef, transactWrite } from "./dynamo-client.js";
import { BOOL, type Item, LS, N, S } from "./dynamo-codec.js";
import {
  countPk,
  dismissedSk,
  favouritePk,
  favouriteSk,
  GLOBAL,
  MODEL_PK,
  movieSk,
  POINTER_SK,
  userPk,
} from "./dynamo-keys.js";
import { readMovie } from "./dynamo-movie-reader.js";
import { ensurePlacement } from "./dynamo-placement.js";
import type { Pointer } from "./dynamo-pointer.js";
import {
  effectiveFavourites,
  type FavouriteItem,
  includedIn,
  isCountedFavourite,
  readUserState,
  type UserState,
} from "./dynamo-user-state.js";
import { inWriteRounds } from "./dynamo-write-rounds.js";

/** How many times a favourite write re-reads and retries after losing a race, before giving up with 429. */
const MAX_ROUNDS = 12;

/** The versions a favourite write must keep counts of: the active one, and a pending one once it is ready. */
function versionsToCount(pointer: Pointer): string[] {
  const versions: string[] = [];
  if (pointer.active) versions.push(pointer.active.version);
  if (pointer.pending?.state === "ready" && pointer.pending.version !== pointer.active?.version) {
    versions.push(pointer.pending.version);
  }
  return versions;
}

/** Condition that the pointer is exactly as read: writes commit only against the versions they counted. */
function pointerCondition(pointer: Pointer): { expression: string; values: Item } {
  const parts: string[] = [];
  const values: Item = {};
  if (pointer.active) {
    parts.push("active = :pointerActive");
    values[":pointerActive"] = S(pointer.active.version);
  } else parts.push("attribute_not_exists(active)");
  if (pointer.pending) {
    parts.push("pending = :pointerPending AND pendingState = :pointerState");
    values[":pointerPending"] = S(pointer.pending.version);
    values[":pointerState"] = S(pointer.pending.state);
  } else parts.push("attribute_not_exists(pending)");
  return { expression: parts.join(" AND "), values };
}

/** One version a change applies to: the user's cluster there and whether its counts include the favourite now. */
export interface ChangeTarget {
  readonly version: string;
  readonly clusterId: number | null;
  readonly included: boolean;
}

/** A favourite change to commit in one transaction. */
export interface FavouriteChange {
  readonly userId: number;
  readonly movie: MovieSummary;
  /** The favourite item as read (null: none yet); the write is conditioned on it being unchanged. */
  readonly observed: FavouriteItem | null;
  readonly state: "active" | "removed";
  readonly targets: readonly ChangeTarget[];
  /** The pointer the targets were read under (checked in the same transaction). */
  readonly pointer: Pointer | null;
  /** When set, the transaction instead requires `pending = version` and `pendingState = ready` (catch-up). */
  readonly pendingReady?: string;
  /**
   * Recording a favourite: the same transaction checks the movie is not dismissed by the user, so a dismissal
   * committed after the state was read cancels it (dismissMovie checks the reverse).
   */
  readonly notDismissed?: boolean;
  readonly nowMs: number;
}

/**
 * Attempts of one favourite transaction against conflicts (the SDK retries throttling itself). Hot counters
 * (a popular movie's global count) make transaction conflicts routine under load, so they get three times
 * the usual budget.
 */
function conflictAttempts(table: TableRef): number {
  return table.retry.attempts * 3;
}

/** How a change transaction ended: committed, or lost a race (re-read and decide again). */
export type ChangeResult = "committed" | "favourite-changed" | "pointer-moved" | "dismissed";

function countUpdate(
  tableName: string,
  version: string,
  cluster: number | typeof GLOBAL,
  movie: MovieSummary,
  delta: 1 | -1,
): TransactWriteItem {
  const pk = countPk(version, cluster);
  return {
    Update: {
      TableName: tableName,
      Key: { pk: S(pk), sk: S(movieSk(movie.movieId)) },
      UpdateExpression:
        "SET gsi1pk = :pk, title = if_not_exists(title, :title), genres = if_not_exists(genres, :genres) ADD gsi1sk :delta",
      ...(delta < 0 ? { ConditionExpression: "gsi1sk > :zero" } : {}),
      ExpressionAttributeValues: {
        ":pk": S(pk),
        ":title": S(movie.title),
        ":genres": LS(movie.genres),
        ":delta": N(delta),
        ...(delta < 0 ? { ":zero": N(0) } : {}),
      },
    },
  };
}

function favouriteWrite(change: FavouriteChange, tableName: string): TransactWriteItem {
  const { userId, movie, observed, state, targets, nowMs } = change;
  const key = { pk: S(favouritePk(userId)), sk: S(favouriteSk(userId, movie.movieId)) };
  const marks = targets.map((t) => [t.version, state === "active"] as const);
  if (!observed) {
    return {
      Put: {
        TableName: tableName,
        Item: {
          ...key,
          userId: N(userId),
          movieId: N(movie.movieId),
          state: S(state),
          updatedAt: N(nowMs),
          rev: N(1),
          counted: { M: Object.fromEntries(marks.map(([v, b]) => [v, BOOL(b)])) },
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }
  const names: Record<string, string> = { "#state": "state" };
  const values: Item = { ":state": S(state), ":now": N(nowMs), ":one": N(1), ":rev": N(observed.rev) };
  const sets = ["#state = :state", "updatedAt = :now"];
  marks.forEach(([version, mark], i) => {
    names[`#v${i}`] = version;
    values[`:m${i}`] = BOOL(mark);
    sets.push(`counted.#v${i} = :m${i}`);
  });
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${sets.join(", ")} ADD rev :one`,
      ConditionExpression: "rev = :rev",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** A check that `movieId` is not dismissed by `userId` (no dismissed item, or one that was undone). */
function notDismissedCheck(tableName: string, userId: number, movieId: number): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: { pk: S(userPk(userId)), sk: S(dismissedSk(movieId)) },
      ConditionExpression: "attribute_not_exists(pk) OR #state <> :dismissed",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":dismissed": S("dismissed") },
    },
  };
}

/** A check that `movieId` is not a recorded active favourite of `userId` (no item, or a removed one). */
export function notActiveFavouriteCheck(
  tableName: string,
  userId: number,
  movieId: number,
): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: { pk: S(favouritePk(userId)), sk: S(favouriteSk(userId, movieId)) },
      ConditionExpression: "attribute_not_exists(pk) OR #state <> :active",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":active": S("active") },
    },
  };
}

function pointerCheck(change: FavouriteChange, tableName: string): TransactWriteItem {
  const key = { pk: S(MODEL_PK), sk: S(POINTER_SK) };
  if (change.pendingReady !== undefined) {
    return {
      ConditionCheck: {
        TableName: tableName,
        Key: key,
        ConditionExpression: "pending = :pending AND pendingState = :ready",
        ExpressionAttributeValues: { ":pending": S(change.pendingReady), ":ready": S("ready") },
      },
    };
  }
  const condition = pointerCondition(change.pointer ?? { active: null, pending: null });
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: key,
      ConditionExpression: condition.expression,
      ExpressionAttributeValues: condition.values,
    },
  };
}

/**
 * Commits a favourite change in ONE TransactWriteItems: the favourite item (conditioned on being as read),
 * +1/-1 on the movie's count in the user's cluster and in the global counts of every target version whose
 * inclusion changes, and a check that the pointer is as read. A decrement is conditioned on the count being
 * above zero; a count already at zero (or not stored, beyond the top-N cap) is left alone.
 */
export async function commitFavouriteChange(table: TableRef, change: FavouriteChange): Promise<ChangeResult> {
  const floored = new Set<string>();
  const desired = change.state === "active";
  for (;;) {
    const items: TransactWriteItem[] = [
      favouriteWrite(change, table.tableName),
      pointerCheck(change, table.tableName),
    ];
    const labels: (string | null)[] = [null, null]; // count labels; null for the checks
    const dismissedAt = change.notDismissed ? items.length : -1;
    if (change.notDismissed) {
      items.push(notDismissedCheck(table.tableName, change.userId, change.movie.movieId));
      labels.push(null);
    }
    for (const target of change.targets) {
      if (target.included === desired || target.clusterId === null) continue;
      const delta = desired ? 1 : -1;
      for (const cluster of [target.clusterId, GLOBAL] as const) {
        const label = `${target.version}/${cluster}`;
        if (floored.has(label)) continue;
        items.push(countUpdate(table.tableName, target.version, cluster, change.movie, delta));
        labels.push(label);
      }
    }
    const outcome = await transactWrite(table, items, conflictAttempts(table));
    if (outcome.committed) return "committed";
    if (outcome.failed[0]) return "favourite-changed";
    if (outcome.failed[1]) return "pointer-moved";
    if (dismissedAt >= 0 && outcome.failed[dismissedAt]) return "dismissed";
    // A decrement whose count is already at zero: commit again without it (each round drops at least one).
    const floorHits = labels.filter((label, i) => label !== null && outcome.failed[i]);
    if (floorHits.length === 0) throw new StoreError("favourite write cancelled for a condition on no item");
    for (const label of floorHits) floored.add(label!);
  }
}

async function targetsFor(
  table: TableRef,
  userId: number,
  movieId: number,
  state: UserState,
  favourite: FavouriteItem | undefined,
  placeWith: readonly number[] | null,
): Promise<ChangeTarget[]> {
  const targets: ChangeTarget[] = [];
  for (const version of versionsToCount(state.pointer)) {
    let user = state.versions.get(version);
    if (!user && placeWith) user = await ensurePlacement(table, userId, version, placeWith);
    targets.push({
      version,
      clusterId: user?.clusterId ?? null,
      included: includedIn(version, movieId, favourite, user),
    });
  }
  return targets;
}

/**
 * Records a favourite exactly once: `created: false` when it already is one (recorded, or trained and not
 * removed); otherwise one transaction stores it and counts it in every version readers may see, and checks
 * the movie is not dismissed. ConflictError for a dismissed movie, even one dismissed during the call.
 */
export async function recordFavourite(
  table: TableRef,
  userId: number,
  movieId: number,
  nowMs: number,
): Promise<RecordOutcome> {
  return inWriteRounds(table, userId, movieId, "favourite", async (state, movie) => {
    if (state.dismissed.has(movieId)) {
      throw new ConflictError(
        `movie ${movieId} is dismissed by user ${userId}; DELETE /users/${userId}/dismissed/${movieId} first`,
      );
    }
    const favourite = state.favourites.get(movieId);
    if (favourite?.state === "active") return { created: false };
    const active = state.pointer.active?.version ?? null;
    if (!favourite && effectiveFavourites(state, active).has(movieId)) return { created: false };
    const placeWith = [...effectiveFavourites(state, null), movieId];
    const targets = await targetsFor(table, userId, movieId, state, favourite, placeWith);
    const result = await commitFavouriteChange(table, {
      userId,
      movie,
      observed: favourite ?? null,
      state: "active",
      targets,
      pointer: state.pointer,
      notDismissed: true,
      nowMs,
    });
    // Lost a race (a dismissal among them): the next round reads again; a dismissed movie then answers 409.
    return result === "committed" ? { created: true } : undefined;
  });
}

/**
 * Removes a favourite (recorded or trained), leaving a `removed` tombstone so a retrain does not bring it
 * back; counts go down by one, never below zero. NotFoundError when it is not a favourite.
 */
export async function removeFavourite(
  table: TableRef,
  userId: number,
  movieId: number,
  nowMs: number,
): Promise<void> {
  const movieRead = readMovie(table, movieId);
  movieRead.catch(() => undefined); // awaited below, unless the favourite turns out not to exist
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const state = await readUserState(table, userId);
    const favourite = state.favourites.get(movieId);
    const isFavourite = isCountedFavourite(state, movieId);
    if (!isFavourite)
      throw new NotFoundError("favourite", `movie ${movieId} is not a favourite of user ${userId}`);
    const movie = (await movieRead) ?? { movieId, title: "", genres: [] };
    const targets = await targetsFor(table, userId, movieId, state, favourite, null);
    const result = await commitFavouriteChange(table, {
      userId,
      movie,
      observed: favourite ?? null,
      state: "removed",
      targets,
      pointer: state.pointer,
      nowMs,
    });
    if (result === "committed") return;
  }
  throw new ThrottledError(`favourite (${userId}, ${movieId}) kept racing with other writes`);
}
