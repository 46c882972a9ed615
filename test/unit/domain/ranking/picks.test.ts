import { describe, expect, it } from "vitest";
import { genreWeights } from "../../../../shared/domain/ranking/genre-match.js";
import { type PicksRequest, rankPicks } from "../../../../shared/domain/ranking/picks.js";

// Two taste groups of 10 and 20 people (30 in all); the picks land on group 0 alone.
const inputs = {
  version: "v1",
  geometry: "cosine" as const,
  sizes: [10, 20],
  norms2: [1, 1],
  coords: new Map(),
  neighbours: new Map(),
};
const movies = new Map([
  [1, { title: "Pick One (2001)", favouriteCount: 9, genres: ["Animation"] }],
  [2, { title: "Pick Two (2002)", favouriteCount: 7, genres: ["Animation", "Children"] }],
  [100, { title: "Drama (2000)", favouriteCount: 12, genres: ["Drama"] }],
  [101, { title: "Cartoon (2003)", favouriteCount: 5, genres: ["Animation"] }],
  [102, { title: "Comedy (2004)", favouriteCount: 20, genres: ["Comedy"] }],
]);
const counts = {
  groups: new Map([
    [
      0,
      new Map([
        [100, 8],
        [101, 5],
      ]),
    ],
  ]),
  everyone: new Map([
    [100, 12],
    [102, 20],
  ]),
};
// A catalogue of 8 movies: 4 Drama, 2 Animation, 1 Children, 4 Comedy.
const weights = genreWeights(
  [
    { genre: "Drama", movies: 4 },
    { genre: "Animation", movies: 2 },
    { genre: "Children", movies: 1 },
    { genre: "Comedy", movies: 4 },
  ],
  8,
);
const request: PicksRequest = {
  movieIds: [1, 2],
  limit: 10,
  offset: 0,
  neighbourWeight: 0,
  neighbourScale: "mean",
  everyoneWeight: 0.5,
  genreWeight: 0,
};
const rank = (changes: Partial<PicksRequest>) =>
  rankPicks(inputs, [{ clusterId: 0, weight: 1 }], counts, (id) => movies.get(id), weights, {
    ...request,
    ...changes,
  });

describe("rankPicks", () => {
  it("ranks everyone's counts beside the placed groups, and says whose counts a reason speaks of", () => {
    // 100: 8/10 + 0.5 x 12/30 = 1; 101: 5/10 = 0.5; 102: 0.5 x 20/30.
    expect(rank({}).map((m) => [m.movieId, m.score, m.reason])).toEqual([
      [100, 1, "liked by 8 of the 10 people in the taste group closest to your picks"],
      [101, 0.5, "liked by 5 of the 10 people in the taste group closest to your picks"],
      [102, 0.3333, "liked by 20 of all 30 people"],
    ]);
    expect(rank({ everyoneWeight: 0 }).map((m) => m.movieId)).toEqual([100, 101]);
  });

  it("adds the genre match with the picks at genreWeight, the groups scaled to a maximum of 1", () => {
    // The picks' genre vector: Animation 2 ln 4, Children ln 8; movie 101 (Animation) matches it by 0.8.
    const ranked = rank({ genreWeight: 1 });
    expect(ranked.map((m) => [m.movieId, m.score])).toEqual([
      [101, 1.3],
      [100, 1],
      [102, 0.3333],
    ]);
    expect(ranked[0]!.reason).toBe("liked by 5 of the 10 people in the taste group closest to your picks");
  });
});
