import { describe, expect, it } from "vitest";
import { rankMovies } from "../../../../shared/domain/ranking/ranking.js";

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
      exclude: new Set(),
      limit: 10,
    });
    expect(ranked.map((r) => [r.movieId, r.score])).toEqual([
      [1, 0.6],
      [2, 0.5],
    ]);
    expect(ranked[0]).toMatchObject({ clusterId: 0, likedBy: 2, groupSize: 10 });
  });

  it("blends the neighbours of the user's favourites into the group's scores, candidates from both", () => {
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
      exclude: new Set([1, 2]),
      neighbours: {
        weight: 1,
        of: new Map([
          [
            1,
            favourite(40, [
              [11, 0.5, 8],
              [12, 0.25, 5],
            ]),
          ],
          [
            2,
            favourite(30, [
              [12, 0.5, 9],
              [13, 0.9, 12],
            ]),
          ],
        ]),
      },
      limit: 10,
    });
    // group/max: 10 -> 1, 11 -> 0.5, 12 -> 0.5; near/max over the candidates (13 is one, from favourite 2's
    // neighbours): 11 -> 0.5/0.9, 12 -> 0.75/0.9, 13 -> 1.
    expect(ranked.map((r) => r.movieId)).toEqual([12, 11, 10, 13]);
    [0.5 + 0.75 / 0.9, 0.5 + 0.5 / 0.9, 1, 1].forEach((score, i) => {
      expect(ranked[i]!.score).toBeCloseTo(score, 12);
    });
    expect(ranked.map((r) => r.similarTo)).toEqual([2, 1, undefined, 2]);
    // The favourite that contributes most, with real counts (reasons.ts words them).
    expect(ranked[0]).toMatchObject({ similarTo: 2, because: { together: 9, likedBy: 30 } });
    expect(ranked[2]).toMatchObject({ clusterId: 3, likedBy: 4, groupSize: 4 });
    expect(ranked[3]).toMatchObject({ likedBy: 0, because: { together: 12, likedBy: 30 } });
  });

  it("lets negative neighbour weights lower a score, never bring a movie or give its reason", () => {
    const ranked = rankMovies({
      clusters: [],
      exclude: new Set([1, 2]),
      neighbours: {
        weight: 1,
        of: new Map([
          [
            1,
            favourite(40, [
              [11, 0.5, 8],
              [12, 0.4, 6],
              [13, -0.3, 2],
            ]),
          ],
          [
            2,
            favourite(30, [
              [11, -0.2, 3],
              [12, 0.1, 4],
            ]),
          ],
        ]),
      },
      limit: 10,
    });
    // 11: 0.5 - 0.2 = 0.3; 12: 0.4 + 0.1 = 0.5; 13 has only a negative weight: not a candidate.
    expect(ranked.map((r) => r.movieId)).toEqual([12, 11]);
    expect(ranked[1]!.score).toBeCloseTo(0.3 / 0.5, 6);
    // The reason is the positive contribution, never the favourite counting against the movie.
    expect(ranked[1]).toMatchObject({ similarTo: 1, because: { together: 8, likedBy: 40 } });
  });

  it("with a divisor, divides the neighbour part by it instead of scaling it to a maximum of 1", () => {
    const input = {
      clusters: [{ clusterId: 0, size: 10, weight: 1, counts: new Map([[20, 5]]) }],
      exclude: new Set([1, 2]),
      limit: 10,
    };
    const of = new Map([
      [1, favourite(40, [[21, 0.2, 8]])],
      [2, favourite(30, [[21, 0.1, 3]])],
    ]);
    // Without a divisor the weak list (0.3 in all) is scaled up to 1 and outranks the group's movie.
    const scaled = rankMovies({ ...input, neighbours: { weight: 2, of } });
    expect(scaled.map((r) => [r.movieId, r.score])).toEqual([
      [21, 2],
      [20, 1],
    ]);
    // Divided by the 2 picks: 2 x 0.3 / 2 = 0.3, below the group's 1.
    const mean = rankMovies({ ...input, neighbours: { weight: 2, of, divisor: 2 } });
    expect(mean.map((r) => r.movieId)).toEqual([20, 21]);
    expect(mean[1]!.score).toBeCloseTo(0.3, 6);
    expect(mean[1]).toMatchObject({ similarTo: 1, because: { together: 8, likedBy: 40 } });
  });

  it("at weight 0, the neighbour lists rank nothing but name the favourite a group's movie is near", () => {
    const input = {
      clusters: [
        {
          clusterId: 3,
          size: 4,
          weight: 1,
          counts: new Map([
            [10, 4],
            [11, 2],
          ]),
        },
      ],
      global,
      exclude: new Set([1]),
      limit: 10,
    };
    const alone = rankMovies(input);
    const named = rankMovies({
      ...input,
      neighbours: {
        weight: 0,
        of: new Map([
          [
            1,
            favourite(40, [
              [11, 0.5, 8],
              [13, 0.9, 12],
            ]),
          ],
        ]),
      },
    });
    // Same movies, order and scores; 13 (only a neighbour) is no candidate; 11 names favourite 1.
    expect(named.map((r) => [r.movieId, r.score])).toEqual(alone.map((r) => [r.movieId, r.score]));
    expect(named.map((r) => r.movieId)).toEqual([10, 11]);
    expect(named[1]).toMatchObject({ similarTo: 1, because: { together: 8, likedBy: 40 } });
    expect(named[0]!.similarTo).toBeUndefined();
  });

  it("ranks by the group alone when the neighbour weight is 0 (the list only names favourite 1 for movie 5)", () => {
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
    const of = new Map([[1, favourite(3, [[5, 1, 1]])]]);
    const ranked = rankMovies({
      clusters,
      exclude: new Set([1]),
      neighbours: { weight: 0, of },
      limit: 5,
    });
    expect(ranked.map((r) => [r.movieId, r.score, r.similarTo])).toEqual([
      [6, 1, undefined],
      [5, 0.5, 1],
    ]);
  });

  it("adds the affinity part to each candidate's score, reordering the candidates without adding any", () => {
    const input = {
      clusters: [
        {
          clusterId: 0,
          size: 10,
          weight: 1,
          counts: new Map([
            [1, 8],
            [2, 6],
            [3, 4],
          ]),
        },
      ],
      exclude: new Set<number>(),
      limit: 10,
    };
    const match = new Map([
      [3, 1],
      [2, 0.5],
      [9, 1],
    ]);
    const ranked = rankMovies({ ...input, affinity: { weight: 0.5, of: (id) => match.get(id) ?? 0 } });
    // group / max(group) + 0.5 x match: 1: 1 + 0, 2: 0.75 + 0.25, 3: 0.5 + 0.5; movie 9 is no candidate.
    expect(ranked.map((r) => [r.movieId, r.score])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    const heavier = rankMovies({ ...input, affinity: { weight: 2, of: (id) => match.get(id) ?? 0 } });
    expect(heavier.map((r) => r.movieId)).toEqual([3, 2, 1]);
    // At weight 0 the scores are the group's shares, as without it.
    expect(rankMovies({ ...input, affinity: { weight: 0, of: () => 1 } }).map((r) => r.score)).toEqual(
      rankMovies(input).map((r) => r.score),
    );
    expect(rankMovies(input).map((r) => r.score)).toEqual([0.8, 0.6, 0.4]);
  });
});

/** A favourite liked by `likedBy` people, with neighbours [movieId, weight, together]. */
function favourite(likedBy: number, list: [number, number, number][]) {
  return {
    likedBy,
    neighbours: {
      movieIds: list.map(([id]) => id),
      weights: list.map(([, weight]) => weight),
      together: list.map(([, , together]) => together),
    },
  };
}
