import { describe, expect, it } from "vitest";
import { mergeApiFavourites } from "../../../../shared/domain/input/merge-favourites.js";
import type { RatingsTable } from "../../../../shared/domain/input/ratings.js";

/** user 1: movie 10 (5.0, favourite), movie 11 (2.0); user 2: movie 10 (4.5, favourite). */
function fileTable(): RatingsTable {
  return {
    length: 3,
    userIds: Int32Array.from([1, 1, 2]),
    movieIds: Int32Array.from([10, 11, 10]),
    ratings: Float32Array.from([5, 2, 4.5]),
    timestamps: Uint32Array.from([100, 200, 300]),
    favourite: Uint8Array.from([1, 0, 1]),
  };
}

describe("mergeApiFavourites", () => {
  it("promotes, appends and demotes exactly the pairs the API changed", () => {
    const input = fileTable();
    const { table, report } = mergeApiFavourites(input, {
      recorded: [
        { userId: 1, movieId: 11 }, // in the file below the threshold: promoted
        { userId: 1, movieId: 10 }, // already a favourite
        { userId: 3, movieId: 12 }, // a new user: appended
        { userId: 2, movieId: 12 }, // appended
      ],
      removed: [{ userId: 2, movieId: 10 }], // favourite in the file, removed through the API
    });
    expect(report).toEqual({ appended: 2, promoted: 1, alreadyFavourite: 1, demoted: 1 });
    expect(table.length).toBe(5);
    expect([...table.userIds]).toEqual([1, 1, 2, 2, 3]);
    expect([...table.movieIds]).toEqual([10, 11, 10, 12, 12]);
    expect([...table.favourite]).toEqual([1, 1, 0, 1, 1]);
    expect([...table.ratings.subarray(0, 3)]).toEqual([5, 2, 4.5]);
    expect(Number.isNaN(table.ratings[3])).toBe(true);
    expect([...table.timestamps]).toEqual([100, 200, 300, 0, 0]);
    // The file's table is untouched.
    expect([...input.favourite]).toEqual([1, 0, 1]);
    expect(input.length).toBe(3);
  });

  it("lets a removal win over a recording of the same pair, and ignores removals of unknown pairs", () => {
    const { table, report } = mergeApiFavourites(fileTable(), {
      recorded: [{ userId: 1, movieId: 10 }],
      removed: [
        { userId: 1, movieId: 10 },
        { userId: 9, movieId: 99 },
      ],
    });
    expect(report).toEqual({ appended: 0, promoted: 0, alreadyFavourite: 0, demoted: 1 });
    expect([...table.favourite]).toEqual([0, 0, 1]);
    expect(table.length).toBe(3);
  });

  it("returns the same rows when the API changed nothing", () => {
    const input = fileTable();
    const { table, report } = mergeApiFavourites(input, { recorded: [], removed: [] });
    expect(report).toEqual({ appended: 0, promoted: 0, alreadyFavourite: 0, demoted: 0 });
    expect([...table.favourite]).toEqual([1, 0, 1]);
    expect(table.userIds).toBe(input.userIds);
  });
});
