import { describe, expect, it } from "vitest";
import { fmix32 } from "../../../../shared/domain/clustering/random.js";
import {
  favouritesByUser,
  formatRatingsCsv,
  heldOutCount,
  selectRows,
  splitKey,
  splitRatings,
} from "../../../../shared/domain/evaluation/split.js";
import type { RatingsTable } from "../../../../shared/domain/input/ratings.js";

/** Builds a table from [userId, movieId, rating, timestamp] rows; favourite = rating >= 4. */
function table(rows: readonly (readonly [number, number, number, number])[]): RatingsTable {
  return {
    length: rows.length,
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Uint32Array.from(rows, (r) => r[3]),
    favourite: Uint8Array.from(rows, (r) => (r[2] >= 4 ? 1 : 0)),
  };
}

// User 1: six favourites (movies 10..15, timestamps 100..105) and one non-favourite.
// User 2: four favourites: not evaluated. User 3: eight favourites, timestamps tied in pairs.
const fixture = table([
  [1, 13, 4, 103],
  [1, 10, 5, 100],
  [1, 15, 4.5, 105],
  [1, 11, 4, 101],
  [1, 12, 4, 102],
  [1, 14, 4, 104],
  [1, 99, 2.5, 999],
  [2, 10, 4, 1],
  [2, 11, 4, 2],
  [2, 12, 4, 3],
  [2, 13, 4, 4],
  [3, 1, 4, 50],
  [3, 2, 4, 50],
  [3, 3, 4, 60],
  [3, 4, 4, 60],
  [3, 5, 4, 70],
  [3, 6, 4, 70],
  [3, 7, 4, 80],
  [3, 8, 4, 80],
]);

function heldOut(split: { isTest: Uint8Array }, t: RatingsTable): string[] {
  const test = selectRows(t, split.isTest, 1);
  return Array.from({ length: test.length }, (_, i) => `${test.userIds[i]}:${test.movieIds[i]}`).sort();
}

describe("heldOutCount", () => {
  it("holds out max(1, floor((n + 2) / 5))", () => {
    expect([1, 2, 5, 7, 8, 12, 13, 100].map(heldOutCount)).toEqual([1, 1, 1, 1, 2, 2, 3, 20]);
  });
});

describe("splitKey", () => {
  it("chains fmix32 over seed, user and movie", () => {
    expect(splitKey(42, 7, 99)).toBe(fmix32(fmix32(fmix32(42) ^ 7) ^ 99));
    expect(splitKey(42, 7, 99)).not.toBe(splitKey(43, 7, 99));
  });
});

describe("splitRatings, temporal", () => {
  it("holds out each evaluated user's latest favourites, ties to the larger movieId", () => {
    const split = splitRatings(fixture, { protocol: "temporal", seed: 0 });
    // User 1: n=6 -> 1 held out (the latest favourite, 15; the non-favourite 99 never is).
    // User 3: n=8 -> 2 held out: timestamp 80 holds movies 7 and 8.
    expect(heldOut(split, fixture)).toEqual(["1:15", "3:7", "3:8"]);
    expect([...split.testUsers]).toEqual([1, 3]);
    expect(split.testRows).toBe(3);
  });

  it("breaks a timestamp tie across the cut by movieId", () => {
    // n=13 -> 3 held out: timestamps 80 (movies 7, 8) and one of the tie at 70 (movies 5, 6): the larger, 6.
    const extra = table([
      ...Array.from({ length: 8 }, (_, i) => [3, i + 1, 4, [50, 50, 60, 60, 70, 70, 80, 80][i]!] as const),
      ...Array.from({ length: 5 }, (_, i) => [3, 20 + i, 4, 10] as const),
    ]);
    expect(heldOut(splitRatings(extra, { protocol: "temporal", seed: 0 }), extra)).toEqual([
      "3:6",
      "3:7",
      "3:8",
    ]);
  });
});

describe("splitRatings, random", () => {
  it("holds out the favourites with the smallest keys, and depends on the seed", () => {
    for (const seed of [42, 43]) {
      const split = splitRatings(fixture, { protocol: "random", seed });
      const smallest = (user: number, movies: number[], n: number): string[] =>
        movies
          .map((m) => [splitKey(seed, user, m), m] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .slice(0, n)
          .map(([, m]) => `${user}:${m}`);
      const expected = [
        ...smallest(1, [10, 11, 12, 13, 14, 15], 1),
        ...smallest(3, [1, 2, 3, 4, 5, 6, 7, 8], 2),
      ];
      expect(heldOut(split, fixture)).toEqual(expected.sort());
    }
    expect(heldOut(splitRatings(fixture, { protocol: "random", seed: 42 }), fixture)).not.toEqual(
      heldOut(splitRatings(fixture, { protocol: "random", seed: 1 }), fixture),
    );
  });

  it("keeps every row in train for users below minFavourites", () => {
    const split = splitRatings(fixture, { protocol: "random", seed: 42, minFavourites: 7 });
    expect([...split.testUsers]).toEqual([3]);
    expect(() => splitRatings(fixture, { protocol: "random", seed: 42, minFavourites: 0 })).toThrow(
      /minFavourites/,
    );
  });
});

describe("selectRows, favouritesByUser and formatRatingsCsv", () => {
  it("partitions the rows and prints them sorted like the split files", () => {
    const split = splitRatings(fixture, { protocol: "temporal", seed: 0 });
    const train = selectRows(fixture, split.isTest, 0);
    const test = selectRows(fixture, split.isTest, 1);
    expect(train.length + test.length).toBe(fixture.length);
    expect(favouritesByUser(train).get(1)).toEqual(new Set([10, 11, 12, 13, 14]));
    expect(favouritesByUser(train).has(1) && !favouritesByUser(train).get(1)!.has(99)).toBe(true);
    expect(formatRatingsCsv(test)).toBe(
      "userId,movieId,rating,timestamp\n1,15,4.5,105\n3,7,4.0,80\n3,8,4.0,80\n",
    );
  });
});
