import { describe, expect, it } from "vitest";
import type { ClusterCounts, TrainedModel } from "../../../../shared/domain/clustering/model.js";
import { rankMovies } from "../../../../shared/domain/ranking/ranking.js";
import { createModelRanker, toClusterView } from "../../../../shared/domain/ranking/ranking-input.js";

function cluster(clusterId: number, size: number, counts: [number, number][]): ClusterCounts {
  return {
    clusterId,
    size,
    movieIds: Int32Array.from(counts, (c) => c[0]),
    counts: Int32Array.from(counts, (c) => c[1]),
  };
}

/** Two clusters; users 10 and 11 in cluster 0 (11 also half in cluster 1), user 12 in cluster 1. */
function model(): TrainedModel {
  return {
    params: {
      k: 2,
      seed: 1,
      geometry: "cosine",
      favouriteThreshold: 4,
      minClusterSize: 1,
      restarts: 1,
      maxIterations: 10,
    },
    kSelection: { rule: "fixed", chosenK: 2, candidates: [], confidence: "none", explanation: "fixed" },
    inertia: 0,
    iterations: 1,
    stats: { ratingRows: 0, badRows: 0, users: 3, movies: 4, favourites: 0 },
    userIds: Int32Array.from([10, 11, 12]),
    clusterOf: Int32Array.from([0, 0, 1]),
    clusters: [
      cluster(0, 2, [
        [1, 2],
        [2, 1],
        [3, 1],
      ]),
      cluster(1, 1, [
        [4, 1],
        [3, 1],
      ]),
    ],
    global: { users: 3, movieIds: Int32Array.from([1, 3, 2, 4]), counts: Int32Array.from([2, 2, 1, 1]) },
    membershipWidth: 2,
    membershipClusters: Int32Array.from([0, -1, 0, 1, 1, -1]),
    membershipWeights: Float32Array.from([1, 0, 0.75, 0.25, 1, 0]),
    movieRatings: { movieIds: new Int32Array(), counts: new Int32Array(), means: new Float32Array() },
  };
}

describe("toClusterView", () => {
  it("keeps the top N stored counts, as serving reads them", () => {
    const view = toClusterView(
      cluster(3, 5, [
        [7, 4],
        [8, 2],
        [9, 1],
      ]),
      0.5,
      2,
    );
    expect(view).toMatchObject({ clusterId: 3, size: 5, weight: 0.5 });
    expect([...view.counts]).toEqual([
      [7, 4],
      [8, 2],
    ]);
  });
});

describe("createModelRanker", () => {
  it("gives each user's clusters with their membership weights, strongest first", () => {
    const ranker = createModelRanker(model());
    const input = ranker.inputFor(11, { favourites: [1], exclude: new Set([1]), limit: 10 })!;
    expect(input.clusters.map((c) => [c.clusterId, c.weight])).toEqual([
      [0, 0.75],
      [1, 0.25],
    ]);
    // Scores: 2 -> 0.75 * 1/2 = 0.375; 3 -> 0.75 * 1/2 + 0.25 * 1/1 = 0.625; 4 -> 0.25.
    expect(rankMovies(input).map((r) => [r.movieId, r.score])).toEqual([
      [3, 0.625],
      [2, 0.375],
      [4, 0.25],
    ]);
  });

  it("narrows the membership width, skips empty slots, and knows no unseen user", () => {
    const ranker = createModelRanker(model(), { membershipWidth: 1 });
    expect(
      ranker.inputFor(11, { favourites: [], exclude: new Set(), limit: 1 })!.clusters.map((c) => c.clusterId),
    ).toEqual([0]);
    expect(
      ranker.inputFor(12, { favourites: [], exclude: new Set(), limit: 1 })!.clusters.map((c) => c.clusterId),
    ).toEqual([1]);
    expect(ranker.inputFor(99, { favourites: [], exclude: new Set(), limit: 1 })).toBeUndefined();
  });

  it("attaches the neighbours of the user's favourites when a neighbour weight is set", () => {
    const neighbours = {
      movieIds: Int32Array.from([1, 2]),
      favourites: Int32Array.from([2, 2]),
      offsets: Int32Array.from([0, 1, 2]),
      neighbours: Int32Array.from([2, 3]),
      similarities: Float32Array.from([0.5, 0.25]),
      together: Int32Array.from([1, 1]),
    };
    // Movie 2 is excluded (rated) but not a favourite: its neighbours are not blended in.
    const input = createModelRanker(model(), { neighbours, neighbourWeight: 2 }).inputFor(10, {
      favourites: [1, 7],
      exclude: new Set([1, 2, 7]),
      limit: 5,
    })!;
    expect(input.neighbours?.weight).toBe(2);
    expect([...input.neighbours!.of]).toEqual([
      [
        1,
        {
          likedBy: 2,
          neighbours: {
            movieIds: Int32Array.from([2]),
            weights: Float32Array.from([0.5]),
            together: Int32Array.from([1]),
          },
        },
      ],
    ]);
    expect(
      createModelRanker(model(), { neighbours }).inputFor(10, {
        favourites: [1],
        exclude: new Set([1]),
        limit: 5,
      })!.neighbours,
    ).toBeUndefined();
  });
});
