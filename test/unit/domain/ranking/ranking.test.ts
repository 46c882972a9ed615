import { describe, expect, it } from "vitest";
import { explain, rankMovies } from "../../../../shared/domain/ranking/ranking.js";

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

  it("blends the neighbours of the user's favourites into the group's scores, candidates staying the group's", () => {
    const ranked = rankMovies({
      clusters: [
        {
          clusterId: 3,
          size: 4,
          weight: 1,
          counts: new Map([
            [10, 4],
            [11, 2],
            [12, 2],
          ]),
        },
      ],
      global,
      exclude: new Set([1, 2]),
      neighbours: {
        weight: 1,
        of: new Map([
          [
            1,
            new Map([
              [11, 0.5],
              [12, 0.25],
            ]),
          ],
          [
            2,
            new Map([
              [12, 0.5],
              [13, 0.9],
            ]),
          ],
        ]),
      },
      limit: 10,
    });
    // group/max: 10 -> 1, 11 -> 0.5, 12 -> 0.5; near/max (13 is not the group's): 11 -> 0.5/0.75, 12 -> 1.
    expect(ranked.map((r) => r.movieId)).toEqual([12, 11, 10]);
    expect(ranked.map((r) => r.score)).toEqual([1.5, 0.5 + 0.5 / 0.75, 1]);
    expect(ranked.map((r) => r.similarTo)).toEqual([2, 1, undefined]);
    expect(explain(ranked[0]!)).toBe("liked by 2 of the 4 people in your taste group");
  });

  it("ranks by the group alone when the neighbour weight is 0", () => {
    const clusters = [
      {
        clusterId: 0,
        size: 2,
        weight: 1,
        counts: new Map([
          [5, 1],
          [6, 2],
        ]),
      },
    ];
    const of = new Map([[1, new Map([[5, 1]])]]);
    const ranked = rankMovies({
      clusters,
      global,
      exclude: new Set([1]),
      neighbours: { weight: 0, of },
      limit: 5,
    });
    expect(ranked.map((r) => [r.movieId, r.score, r.similarTo])).toEqual([
      [6, 1, undefined],
      [5, 0.5, undefined],
    ]);
  });
});
