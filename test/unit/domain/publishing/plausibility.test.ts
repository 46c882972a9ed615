import { describe, expect, it } from "vitest";
import { ModelRefusedError } from "../../../../shared/domain/errors.js";
import {
  checkPlausible,
  DEFAULT_PLAUSIBILITY,
  plausibilityProblems,
} from "../../../../shared/domain/publishing/plausibility.js";

const NAMES = {
  minUserShare: "MIN_USER_SHARE",
  minFavouriteShare: "MIN_FAVOURITE_SHARE",
  minMovieShare: "MIN_MOVIE_SHARE",
  minK: "MIN_K",
};
const ACTIVE = { users: 610, favourites: 48_580, movies: 9_724, k: 12 };

describe("the plausibility gate before the pointer flips", () => {
  it("refuses a truncated file, naming the numbers and the setting", () => {
    const problems = plausibilityProblems(
      { users: 1, favourites: 13, movies: 13, k: 1 },
      ACTIVE,
      DEFAULT_PLAUSIBILITY,
      NAMES,
    );
    expect(problems).toEqual([
      "the new file has 1 user with favourites; the active model has 610 (at least 50% = 305 needed; set MIN_USER_SHARE to override)",
      "the new file has 13 favourites; the active model has 48,580 (at least 50% = 24,290 needed; set MIN_FAVOURITE_SHARE to override)",
      "the new file has 13 rated movies; the active model has 9,724 (at least 50% = 4,862 needed; set MIN_MOVIE_SHARE to override)",
      "the new model has 1 taste group; at least 2 needed (set MIN_K to override)",
    ]);
    expect(() =>
      checkPlausible({ users: 1, favourites: 13, movies: 13, k: 1 }, ACTIVE, DEFAULT_PLAUSIBILITY, NAMES),
    ).toThrow(ModelRefusedError);
  });

  it("passes at exactly the share, and fails one below it", () => {
    const at = { users: 305, favourites: 24_290, movies: 4_862, k: 2 };
    expect(plausibilityProblems(at, ACTIVE, DEFAULT_PLAUSIBILITY, NAMES)).toEqual([]);
    expect(plausibilityProblems({ ...at, movies: 4_861 }, ACTIVE, DEFAULT_PLAUSIBILITY, NAMES)).toHaveLength(
      1,
    );
  });

  it("a share of 0 and minK 1 turn the rules off; absolute minimums stay", () => {
    const off = { minUserShare: 0, minFavouriteShare: 0, minMovieShare: 0, minK: 1 };
    expect(plausibilityProblems({ users: 2, favourites: 2, movies: 2, k: 1 }, ACTIVE, off, NAMES)).toEqual(
      [],
    );
    expect(plausibilityProblems({ users: 1, favourites: 2, movies: 2, k: 1 }, ACTIVE, off, NAMES)).toEqual([
      "the new file has 1 user with favourites; at least 2 are needed",
    ]);
  });

  it("the first model has only the absolute minimums and minK", () => {
    expect(
      plausibilityProblems({ users: 2, favourites: 3, movies: 2, k: 2 }, null, DEFAULT_PLAUSIBILITY, NAMES),
    ).toEqual([]);
    expect(
      plausibilityProblems({ users: 1, favourites: 1, movies: 1, k: 1 }, null, DEFAULT_PLAUSIBILITY, NAMES),
    ).toHaveLength(4);
  });
});
