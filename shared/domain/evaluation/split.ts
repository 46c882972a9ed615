/**
 * The offline evaluation split of ../shared/EVALUATION.md: per user, a fixed share of favourites is held out
 * as test (random by a murmur3 key, or the latest by timestamp); every other rating row is train. Pure and
 * deterministic: the same table, protocol and seed always give the same split.
 */

import { fmix32 } from "../clustering/random.js";
import { ValidationError } from "../errors.js";
import type { RatingsTable } from "../input/ratings.js";

/** `random`: held-out favourites chosen by a seeded hash; `temporal`: each user's latest favourites. */
export type SplitProtocol = "random" | "temporal";

/** Options of {@link splitRatings}. */
export interface SplitOptions {
  readonly protocol: SplitProtocol;
  /** Seed of the random protocol (42 for test, 43 for validation); ignored by the temporal protocol. */
  readonly seed: number;
  /** Users with fewer favourites are not evaluated and keep all their rows in train. Default 5. */
  readonly minFavourites?: number;
}

/** A split of one ratings table: which rows are held out, and whose. */
export interface RatingsSplit {
  /** isTest[row] is 1 when the table's row is a held-out favourite, else 0 (the row is train). */
  readonly isTest: Uint8Array;
  /** The evaluated users (at least `minFavourites` favourites), ascending. */
  readonly testUsers: Int32Array;
  /** Number of held-out rows. */
  readonly testRows: number;
}

/** Default minimum number of favourites a user needs to be evaluated. */
const DEFAULT_MIN_FAVOURITES = 5;

/** How many of a user's n favourites are held out: max(1, floor((n + 2) / 5)), about 20%. */
export function heldOutCount(n: number): number {
  return Math.max(1, Math.floor((n + 2) / 5));
}

/** The random protocol's key of a favourite: fmix32(fmix32(fmix32(seed) ^ userId) ^ movieId). */
export function splitKey(seed: number, userId: number, movieId: number): number {
  return fmix32(fmix32(fmix32(seed) ^ userId) ^ movieId);
}

/**
 * Splits a ratings table by EVALUATION.md: for each user with at least `minFavourites` favourites, sorts the
 * favourites by (key, movieId) ascending and holds out the first heldOutCount(n) (random), or sorts them by
 * (timestamp, movieId) and holds out the last heldOutCount(n) (temporal). All other rows are train.
 */
export function splitRatings(table: RatingsTable, options: SplitOptions): RatingsSplit {
  const minFavourites = options.minFavourites ?? DEFAULT_MIN_FAVOURITES;
  if (!Number.isInteger(minFavourites) || minFavourites < 1) {
    throw new ValidationError(
      "minFavourites",
      `minFavourites must be a positive integer, got ${minFavourites}`,
    );
  }
  const { userIds, movieIds, timestamps, favourite } = table;
  let favourites = 0;
  for (let row = 0; row < table.length; row++) favourites += favourite[row]!;
  const rows = new Int32Array(favourites);
  const keys = new Float64Array(table.length);
  let at = 0;
  for (let row = 0; row < table.length; row++) {
    if (favourite[row] === 0) continue;
    rows[at++] = row;
    keys[row] =
      options.protocol === "random"
        ? splitKey(options.seed, userIds[row]!, movieIds[row]!)
        : // Latest first, so that the held-out rows are a prefix in both protocols.
          -timestamps[row]!;
  }
  const movieOrder = options.protocol === "random" ? 1 : -1;
  rows.sort(
    (a, b) => userIds[a]! - userIds[b]! || keys[a]! - keys[b]! || movieOrder * (movieIds[a]! - movieIds[b]!),
  );

  const isTest = new Uint8Array(table.length);
  const testUsers: number[] = [];
  let testRows = 0;
  for (let start = 0; start < rows.length; ) {
    const user = userIds[rows[start]!]!;
    let end = start + 1;
    while (end < rows.length && userIds[rows[end]!] === user) end++;
    const n = end - start;
    if (n >= minFavourites) {
      testUsers.push(user);
      const held = heldOutCount(n);
      for (let i = start; i < start + held; i++) isTest[rows[i]!] = 1;
      testRows += held;
    }
    start = end;
  }
  return { isTest, testUsers: Int32Array.from(testUsers), testRows };
}

/** The rows of a table whose mask value equals `keep`, in table order, as a new table. */
export function selectRows(table: RatingsTable, mask: Uint8Array, keep: 0 | 1): RatingsTable {
  let length = 0;
  for (let row = 0; row < table.length; row++) if (mask[row] === keep) length++;
  const out = {
    length,
    userIds: new Int32Array(length),
    movieIds: new Int32Array(length),
    ratings: new Float32Array(length),
    timestamps: new Uint32Array(length),
    favourite: new Uint8Array(length),
  };
  let at = 0;
  for (let row = 0; row < table.length; row++) {
    if (mask[row] !== keep) continue;
    out.userIds[at] = table.userIds[row]!;
    out.movieIds[at] = table.movieIds[row]!;
    out.ratings[at] = table.ratings[row]!;
    out.timestamps[at] = table.timestamps[row]!;
    out.favourite[at] = table.favourite[row]!;
    at++;
  }
  return out;
}

/** Each user's favourite movies in a table, as sets keyed by userId. */
export function favouritesByUser(table: RatingsTable): Map<number, Set<number>> {
  const byUser = new Map<number, Set<number>>();
  for (let row = 0; row < table.length; row++) {
    if (table.favourite[row] === 0) continue;
    const user = table.userIds[row]!;
    let set = byUser.get(user);
    if (!set) {
      set = new Set();
      byUser.set(user, set);
    }
    set.add(table.movieIds[row]!);
  }
  return byUser;
}

/**
 * A table as the split files print it: header `userId,movieId,rating,timestamp`, LF endings, rows sorted by
 * (userId, movieId), ratings with one decimal ("4.0", "3.5").
 */
export function formatRatingsCsv(table: RatingsTable): string {
  const order = Int32Array.from({ length: table.length }, (_, i) => i);
  order.sort((a, b) => table.userIds[a]! - table.userIds[b]! || table.movieIds[a]! - table.movieIds[b]!);
  const lines = ["userId,movieId,rating,timestamp"];
  for (const row of order) {
    lines.push(
      `${table.userIds[row]},${table.movieIds[row]},${table.ratings[row]!.toFixed(1)},${table.timestamps[row]}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
