import { describe, expect, it } from "vitest";
import { genreMatch, genreProfile, genreWeights } from "../../../../shared/domain/ranking/genre-match.js";

// A catalogue of 8 movies: 1 Animation, 2 Children, 4 Comedy, 8 Drama.
const weights = genreWeights(
  [
    { genre: "Drama", movies: 8 },
    { genre: "Comedy", movies: 4 },
    { genre: "Children", movies: 2 },
    { genre: "Animation", movies: 1 },
  ],
  8,
);

describe("genre match", () => {
  it("weighs each genre ln(catalogue / movies with it): a genre every movie has weighs 0", () => {
    expect(weights.get("Animation")).toBeCloseTo(Math.log(8), 12);
    expect(weights.get("Children")).toBeCloseTo(Math.log(4), 12);
    expect(weights.get("Comedy")).toBeCloseTo(Math.log(2), 12);
    expect(weights.get("Drama")).toBe(0);
  });

  it("is the cosine of the weighted genre vectors: 1 for the picks' own mix, 0 for no shared genre", () => {
    const profile = genreProfile([["Animation", "Children"], ["Children"], ["Drama"]], weights);
    const a = Math.log(8);
    const c = Math.log(4);
    // The picks' vector: Animation a, Children 2c (Drama weighs nothing).
    expect(profile.vector).toEqual(
      new Map([
        ["Animation", a],
        ["Children", 2 * c],
      ]),
    );
    expect(genreMatch(profile, ["Children"], weights)).toBeCloseTo((2 * c) / Math.hypot(a, 2 * c), 12);
    expect(genreMatch(profile, ["Animation", "Children"], weights)).toBeCloseTo(
      (a * a + 2 * c * c) / (Math.hypot(a, 2 * c) * Math.hypot(a, c)),
      12,
    );
    expect(genreMatch(profile, ["Comedy", "Drama"], weights)).toBe(0);
    expect(genreMatch(profile, [], weights)).toBe(0);
    expect(genreMatch(genreProfile([["Drama"]], weights), ["Drama"], weights)).toBe(0);
    expect(genreMatch(genreProfile([["Comedy"]], weights), ["Comedy"], weights)).toBeCloseTo(1, 12);
  });
});
