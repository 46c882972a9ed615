/**
 * A user's state as the API reads it (read side): their items in each version (trained or placed), their
 * API-recorded favourites and dismissed movies, with the pointer, read in one parallel round trip; and the
 * pure rules over that state (effective favourites, what a version's counts include).
 */
import { binarySearch } from "../domain/clustering/sparse-matrix.js";
import { StoreError } from "../domain/errors.js";
import type { PlacedMembership } from "../domain/ranking/placement.js";
import { getItem, queryAll, type TableRef } from "./dynamo-client.js";
import {
  type Item,
  readBoolMap,
  readLN,
  readN,
  readOptionalS,
  readPacked,
  readS,
  S,
} from "./dynamo-codec.js";
import {
  DISMISSED_SK_PREFIX,
  favouritePk,
  favouriteUserPrefix,
  movieIdOfDismissedSk,
  USER_VERSION_SK_PREFIX,
  userPk,
  userVersionSk,
  versionOfUserVersionSk,
} from "./dynamo-keys.js";
import { type Pointer, readPointer } from "./dynamo-pointer.js";

/** A user's item in one version: trained (or placed) cluster, memberships and trained favourites. */
export interface UserVersion {
  readonly version: string;
  readonly clusterId: number;
  /** Membership clusters, strongest first, with weights (one entry, weight 1, when placed). */
  readonly memberships: readonly { readonly clusterId: number; readonly weight: number }[];
  /** Favourites the version was trained on, ascending. Empty when placed. */
  readonly favourites: Int32Array;
  /** Movies the user rated in the training data that are not favourites (seen), ascending. */
  readonly seen: Int32Array;
  readonly placed: boolean;
}

/** An API-recorded favourite (or its removal tombstone). */
export interface FavouriteItem {
  readonly userId: number;
  readonly movieId: number;
  readonly state: "active" | "removed";
  readonly updatedAt: number;
  /** Bumped on every change; writes are conditioned on it. */
  readonly rev: number;
  /** version -> whether that version's counts include this favourite (absent: as the version was trained). */
  readonly counted: ReadonlyMap<string, boolean>;
}

/** Everything about one user, read in one parallel round trip. */
export interface UserState {
  readonly pointer: Pointer;
  readonly versions: ReadonlyMap<string, UserVersion>;
  readonly favourites: ReadonlyMap<number, FavouriteItem>;
  /** Movies the user dismissed ("seen it / not interested"): never recommended, never a favourite. */
  readonly dismissed: ReadonlySet<number>;
}

/** What one Query of a user's partition holds: their per-version items and their dismissed movies. */
export interface UserItems {
  readonly versions: Map<string, UserVersion>;
  readonly dismissed: Set<number>;
}

/** Parses a user's per-version item. */
function parseUserVersion(item: Item): UserVersion {
  const sk = readS(item, "sk");
  const clusters = readLN(item, "mc");
  const weights = readLN(item, "mw");
  return {
    version: versionOfUserVersionSk(sk),
    clusterId: readN(item, "cluster"),
    memberships: clusters.map((clusterId, i) => ({ clusterId, weight: weights[i] ?? 0 })),
    favourites: readPacked(item, "favs"),
    seen: readPacked(item, "seen"),
    placed: item.placed?.BOOL === true,
  };
}

/** Parses an API-recorded favourite item. */
export function parseFavourite(item: Item): FavouriteItem {
  const state = readS(item, "state");
  if (state !== "active" && state !== "removed") throw new StoreError(`favourite state ${state} is unknown`);
  return {
    userId: readN(item, "userId"),
    movieId: readN(item, "movieId"),
    state,
    updatedAt: readN(item, "updatedAt"),
    rev: readN(item, "rev"),
    counted: readBoolMap(item, "counted"),
  };
}

/** Reads a user's item in one version (strongly consistent); undefined when the version has none. */
export async function readUserVersion(
  table: TableRef,
  userId: number,
  version: string,
): Promise<UserVersion | undefined> {
  const item = await getItem(table, { pk: userPk(userId), sk: userVersionSk(version) }, { consistent: true });
  return item ? parseUserVersion(item) : undefined;
}

/** Reads one user's favourites (API-recorded items), strongly consistent. */
export async function readFavouriteItems(
  table: TableRef,
  userId: number,
): Promise<Map<number, FavouriteItem>> {
  const items = await queryAll(table, {
    keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
    values: { ":pk": S(favouritePk(userId)), ":prefix": S(favouriteUserPrefix(userId)) },
    consistent: true,
  });
  const map = new Map<number, FavouriteItem>();
  for (const item of items) {
    const favourite = parseFavourite(item);
    map.set(favourite.movieId, favourite);
  }
  return map;
}

/**
 * Reads a user's partition in one strongly consistent Query: their per-version items and their dismissed
 * movies (items whose state is "dismissed"; an undone dismissal stays as state "undone").
 */
async function readUserItems(table: TableRef, userId: number): Promise<UserItems> {
  const items = await queryAll(table, {
    keyCondition: "pk = :pk",
    values: { ":pk": S(userPk(userId)) },
    consistent: true,
  });
  const versions = new Map<string, UserVersion>();
  const dismissed = new Set<number>();
  for (const item of items) {
    const sk = readS(item, "sk");
    if (sk.startsWith(USER_VERSION_SK_PREFIX)) {
      const parsed = parseUserVersion(item);
      versions.set(parsed.version, parsed);
    } else if (sk.startsWith(DISMISSED_SK_PREFIX) && readOptionalS(item, "state") === "dismissed") {
      dismissed.add(movieIdOfDismissedSk(sk));
    }
  }
  return { versions, dismissed };
}

/**
 * Reads the pointer, the user's partition (per-version items, dismissed movies) and their recorded favourites in parallel (one round trip).
 * The reads are concurrent, so the versions query may be served just before the pointer read sees a version
 * that was flipped in meanwhile. Every item of a version is written before the pointer names it (active, or
 * pending in state "ready"), so when such a version is missing from the answer the query is asked once more,
 * after the pointer read: only users with no item in that version (new users, or this rare race) pay for it.
 */
export async function readUserState(table: TableRef, userId: number): Promise<UserState> {
  const [pointer, first, favourites] = await Promise.all([
    readPointer(table),
    readUserItems(table, userId),
    readFavouriteItems(table, userId),
  ]);
  const firstVersions = first.versions;
  const complete = [
    pointer.active?.version,
    pointer.pending?.state === "ready" ? pointer.pending.version : null,
  ];
  const missing = complete.some((version) => version != null && !firstVersions.has(version));
  const items = missing ? await readUserItems(table, userId) : first;
  return { pointer, versions: items.versions, favourites, dismissed: items.dismissed };
}

/**
 * Whether a version's counts include (user, movie): the favourite item says so when a write touched that
 * version; otherwise it is as the version was trained (the movie is among the user's trained favourites).
 */
export function includedIn(
  version: string,
  movieId: number,
  favourite: FavouriteItem | undefined,
  user: UserVersion | undefined,
): boolean {
  const marked = favourite?.counted.get(version);
  if (marked !== undefined) return marked;
  return user !== undefined && binarySearch(user.favourites, movieId) >= 0;
}

/**
 * A user's item in `version` as a placement makes it: the memberships placement gave (strongest first; the
 * strongest is the cluster their favourites count in), no trained favourites.
 */
export function placedUser(version: string, memberships: readonly PlacedMembership[]): UserVersion {
  const strongest = memberships[0];
  if (!strongest) throw new StoreError(`a placement in ${version} needs a cluster`);
  return {
    version,
    clusterId: strongest.clusterId,
    memberships: memberships.map((m) => ({ clusterId: m.clusterId, weight: m.weight })),
    favourites: new Int32Array(0),
    seen: new Int32Array(0),
    placed: true,
  };
}

/**
 * The user's favourites as of a version: trained there, plus recorded active, minus recorded removed, minus
 * dismissed (a dismissed movie is never a favourite).
 */
export function effectiveFavourites(state: UserState, version: string | null): Set<number> {
  const result = new Set<number>(version ? (state.versions.get(version)?.favourites ?? []) : []);
  for (const favourite of state.favourites.values()) {
    if (favourite.state === "active") result.add(favourite.movieId);
    else result.delete(favourite.movieId);
  }
  for (const movieId of state.dismissed) result.delete(movieId);
  return result;
}

/**
 * Whether the movie is counted as the user's favourite now (recorded active, or trained in the active version
 * and not removed), dismissal aside: a dismissal un-counts it through removeFavourite.
 */
export function isCountedFavourite(state: UserState, movieId: number): boolean {
  const favourite = state.favourites.get(movieId);
  if (favourite) return favourite.state === "active";
  const active = state.pointer.active?.version ?? null;
  return effectiveFavourites({ ...state, dismissed: new Set() }, active).has(movieId);
}
