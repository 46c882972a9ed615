import { describe, expect, it } from "vitest";
import { explain, rankMovies } from "../../shared/domain/ranking.js";

const global = {
  users: 10,
  counts: new Map([
    [1, 5],
    [2, 5],
    [3, 5],
    [4, 5],
  ]),
};

describe("rankMovies", () => {
  it("orders by the share of the cluster that liked a movie, ties to the smaller movieId", () => {
    const ranked = rankMovies({
      clusters: [
        {
          clusterId: 7,
          size: 4,
          weight: 1,
          counts: new Map([
            [3, 2],
            [1, 3],
            [2, 2],
          ]),
        },
      ],
      global,
      exclude: new Set(),
      limit: 10,
    });
    expect(ranked.map((r) => [r.movieId, r.score])).toEqual([
      [1, 0.75],
      [2, 0.5],
      [3, 0.5],
    ]);
    expect(ranked[0]).toMatchObject({ clusterId: 7, likedBy: 3, groupSize: 4 });
  });

  it("never returns an excluded or unaccepted movie, and pages with offset", () => {
    const clusters = [
      {
        clusterId: 0,
        size: 2,
        weight: 1,
        counts: new Map([
          [1, 2],
          [2, 1],
          [3, 1],
          [4, 1],
        ]),
      },
    ];
    const ranked = rankMovies({
      clusters,
      global,
      exclude: new Set([1]),
      accept: (m) => m !== 3,
      limit: 1,
      offset: 1,
    });
    expect(ranked.map((r) => r.movieId)).toEqual([4]);
  });

  it("weighs several clusters by membership and explains with the strongest one", () => {
    const ranked = rankMovies({
      clusters: [
        { clusterId: 0, size: 10, weight: 0.5, counts: new Map([[1, 2]]) },
        {
          clusterId: 1,
          size: 5,
          weight: 0.5,
          counts: new Map([
            [1, 5],
            [2, 5],
          ]),
        },
      ],
      global,
      exclude: new Set(),
      limit: 10,
    });
    expect(ranked.map((r) => [r.movieId, r.score])).toEqual([
      [1, 0.6],
      [2, 0.5],
    ]);
    expect(ranked[0]).toMatchObject({ clusterId: 0, likedBy: 2, groupSize: 10 });
    expect(explain(ranked[0]!)).toBe("liked by 2 of the 10 people in your taste group");
  });
});
