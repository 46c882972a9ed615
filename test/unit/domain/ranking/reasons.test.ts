import { describe, expect, it } from "vitest";
import { EVERYONE, type RankedMovie } from "../../../../shared/domain/ranking/ranking.js";
import { explain } from "../../../../shared/domain/ranking/reasons.js";

const titles = new Map([
  [2, "Alien (1979)"],
  [3, "Matrix, The (1999)"],
]);
const names = { ownClusterId: 0, ownGroup: "your taste group", titleOf: (id: number) => titles.get(id) };
const movie = (fields: Partial<RankedMovie>): RankedMovie => ({
  movieId: 10,
  score: 1,
  clusterId: 0,
  likedBy: 28,
  groupSize: 41,
  ...fields,
});

describe("explain", () => {
  it("calls only the person's own group theirs", () => {
    expect(explain(movie({}), names)).toEqual({ reason: "liked by 28 of the 41 people in your taste group" });
    expect(explain(movie({ clusterId: 4, likedBy: 30, groupSize: 102 }), names)).toEqual({
      reason: "liked by 30 of the 102 people in a neighbouring taste group",
    });
    expect(explain(movie({ likedBy: 1, groupSize: 1 }), names).reason).toBe(
      "liked by 1 of the 1 person in your taste group",
    );
  });

  it("names the favourite the neighbour blend ranked it by, by title, then the group that counted it", () => {
    expect(
      explain(movie({ likedBy: 0, similarTo: 2, because: { together: 45, likedBy: 61 } }), names),
    ).toEqual({
      reason: "because you liked Alien: 45 of the 61 people who liked it also liked this",
      similarTo: { movieId: 2, title: "Alien (1979)" },
    });
    expect(
      explain(
        movie({
          clusterId: 5,
          likedBy: 30,
          groupSize: 102,
          similarTo: 3,
          because: { together: 9, likedBy: 30 },
        }),
        names,
      ),
    ).toEqual({
      reason:
        "because you liked The Matrix: 9 of the 30 people who liked it also liked this; liked by 30 of the 102 people in a neighbouring taste group",
      similarTo: { movieId: 3, title: "Matrix, The (1999)" },
    });
  });

  it("says 'movie N' for a favourite without a stored title, and no count when no one liked both", () => {
    expect(
      explain(movie({ likedBy: 0, similarTo: 7, because: { together: 12, likedBy: 30 } }), names),
    ).toEqual({
      reason: "because you liked movie 7: 12 of the 30 people who liked it also liked this",
      similarTo: { movieId: 7, title: "" },
    });
    expect(
      explain(movie({ similarTo: 2, because: { together: 0, likedBy: 30 } }), {
        ...names,
        ownGroup: "the taste group closest to your picks",
      }).reason,
    ).toBe("because you liked Alien; liked by 28 of the 41 people in the taste group closest to your picks");
  });

  it("speaks of everyone for a movie only everyone's counts brought", () => {
    expect(explain(movie({ clusterId: EVERYONE, likedBy: 215, groupSize: 610 }), names)).toEqual({
      reason: "liked by 215 of all 610 people",
    });
  });
});
