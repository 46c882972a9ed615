import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TrainingProgress } from "../../../../shared/domain/clustering/model.js";
import { createRandom } from "../../../../shared/domain/clustering/random.js";
import { trainModel } from "../../../../shared/domain/clustering/train.js";
import { TrainingError, ValidationError } from "../../../../shared/domain/errors.js";
import type { RatingsTable } from "../../../../shared/domain/input/ratings.js";
import { favouritesTable } from "../../../helpers/matrix-fixtures.js";

/** Users 1-3 like movies 10 and 20 (user 3 also 30); users 4-6 like 30 and 40 (user 6 only 40). */
const twoGroups = favouritesTable(
  { 1: [10, 20], 2: [10, 20], 3: [10, 20, 30], 4: [30, 40], 5: [30, 40], 6: [40] },
  [
    [1, 30, 2],
    [4, 10, 3],
  ],
);

function randomTable(seed: number, users: number, movies: number): RatingsTable {
  const random = createRandom(seed);
  const favourites: Record<number, number[]> = {};
  for (let u = 1; u <= users; u++) {
    const taste = random.int(3);
    const liked = new Set<number>([1 + random.int(movies)]);
    for (let m = 1; m <= movies; m++) if (random.next() < (m % 3 === taste ? 0.5 : 0.08)) liked.add(m);
    favourites[u * 7] = [...liked];
  }
  return favouritesTable(favourites);
}

describe("trainModel on two obvious groups", () => {
  // Sharpness 1 keeps the membership weights below computable by hand (the default is 8).
  const model = trainModel(twoGroups, {
    k: 2,
    seed: 1,
    geometry: "euclidean",
    minClusterSize: 1,
    membershipSharpness: 1,
  });
  const a = model.clusterOf[0]!;
  const b = 1 - a;

  it("assigns the groups and counts each cluster's favourites", () => {
    expect(Array.from(model.userIds)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(model.clusterOf)).toEqual([a, a, a, b, b, b]);
    const [groupA, groupB] = [model.clusters[a]!, model.clusters[b]!];
    expect([groupA.size, Array.from(groupA.movieIds), Array.from(groupA.counts)]).toEqual([
      3,
      [10, 20, 30],
      [3, 3, 1],
    ]);
    expect([groupB.size, Array.from(groupB.movieIds), Array.from(groupB.counts)]).toEqual([
      3,
      [40, 30],
      [3, 2],
    ]);
    expect(model.inertia).toBeCloseTo(4 / 3, 6);
  });

  it("reports global counts, rating statistics, stats and parameters", () => {
    expect(model.global.users).toBe(6);
    expect(Array.from(model.global.movieIds)).toEqual([10, 20, 30, 40]);
    expect(Array.from(model.global.counts)).toEqual([3, 3, 3, 3]);
    expect(Array.from(model.movieRatings.movieIds)).toEqual([10, 20, 30, 40]);
    expect(Array.from(model.movieRatings.counts)).toEqual([4, 3, 4, 3]);
    expect(Array.from(model.movieRatings.means)).toEqual([4.5, 5, 4.25, 5]);
    expect(model.stats).toEqual({ ratingRows: 14, badRows: 0, users: 6, movies: 4, favourites: 12 });
    expect(model.params).toEqual({
      k: 2,
      seed: 1,
      geometry: "euclidean",
      favouriteThreshold: 4,
      minClusterSize: 1,
      restarts: 4,
      maxIterations: 100,
    });
    expect(model.kSelection).toMatchObject({ rule: "fixed", chosenK: 2 });
    expect(model.kSelection.candidates[0]!.wcss).toBe(model.inertia);
  });

  it("gives soft memberships: own cluster first, the other second, weights summing to 1", () => {
    expect(model.membershipWidth).toBe(2);
    for (let i = 0; i < 6; i++) {
      expect(model.membershipClusters[i * 2]).toBe(model.clusterOf[i]);
      expect(model.membershipClusters[i * 2 + 1]).toBe(1 - model.clusterOf[i]!);
      expect(model.membershipWeights[i * 2]! + model.membershipWeights[i * 2 + 1]!).toBeCloseTo(1, 6);
      expect(model.membershipWeights[i * 2]!).toBeGreaterThan(model.membershipWeights[i * 2 + 1]!);
    }
    // User 1: squared distances 1/9 to (1, 1, 1/3, 0) and 2 + 4/9 + 1 = 31/9 to (0, 0, 2/3, 1): 1/d^2 weights.
    const own = 9 / 1;
    const other = 9 / 31;
    expect(model.membershipWeights[0]).toBeCloseTo(own / (own + other), 5);
  });

  it("skips the NaN ratings of the favourites format in rating statistics", () => {
    const table = { ...twoGroups, ratings: new Float32Array(twoGroups.length).fill(Number.NaN) };
    const plain = trainModel(table, { k: 2, seed: 1 });
    expect(plain.movieRatings.movieIds).toHaveLength(0);
    expect(plain.stats.favourites).toBe(12);
  });
});

describe("trainModel determinism and progress", () => {
  const table = randomTable(5, 60, 24);

  it("gives the identical model for the same seed", () => {
    const first = trainModel(table, { k: "auto", kRange: [2, 6], seed: 11 });
    const second = trainModel(table, { k: "auto", kRange: [2, 6], seed: 11 });
    expect(second).toEqual(first);
  });

  it("gives a different model for a different seed where k-means has several optima", () => {
    const results = [1, 2, 3, 4].map((seed) =>
      Array.from(trainModel(table, { k: 8, seed, restarts: 1, minClusterSize: 1 }).clusterOf).join(","),
    );
    expect(new Set(results).size).toBeGreaterThan(1);
  });

  it("reports progress in order: matrix, k selection, fitting, iterations, done", () => {
    const stages: TrainingProgress["stage"][] = [];
    trainModel(table, { kRange: [2, 5], seed: 3, onProgress: (e) => stages.push(e.stage) });
    const order = stages.filter((s, i) => s !== stages[i - 1]);
    expect(order).toEqual(["matrix", "k-selection", "fitting", "iteration", "done"]);
    expect(stages.filter((s) => s === "k-selection")).toHaveLength(4);
  });
});

describe("trainModel refuses what the data cannot give", () => {
  it("fails with a clear message when nothing is a favourite", () => {
    const table = favouritesTable({}, [[1, 2, 3]]);
    expect(() => trainModel(table, { seed: 1 })).toThrow(TrainingError);
    expect(() => trainModel(table, { seed: 1 })).toThrow(
      "No favourites to train on: none of the 1 rating rows is a favourite (rating >= 4).",
    );
  });

  it("fails when k exceeds the users with favourites, and on a malformed k", () => {
    expect(() => trainModel(twoGroups, { k: 7, seed: 1 })).toThrow(
      "k = 7 asks for more clusters than there are users with favourites (6).",
    );
    expect(() => trainModel(twoGroups, { k: 1.5, seed: 1 })).toThrow(ValidationError);
  });
});

describe("trainModel invariants (property test)", () => {
  it("every user in one cluster; counts sum to members' favourites; folding; memberships", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 3, max: 40 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom("euclidean" as const, "cosine" as const),
        (seed, users, k, minClusterSize, geometry) => {
          const table = randomTable(seed, users, 15);
          const model = trainModel(table, {
            k: Math.min(k, users),
            seed,
            geometry,
            minClusterSize,
            restarts: 2,
          });
          const n = model.userIds.length;
          const clusterCount = model.clusters.length;
          expect(model.clusterOf).toHaveLength(n);
          expect(Array.from(model.clusterOf).every((c) => c >= 0 && c < clusterCount)).toBe(true);
          const sizes = model.clusters.map((c) => c.size);
          expect(sizes.reduce((x, y) => x + y, 0)).toBe(n);
          if (sizes.some((s) => s >= minClusterSize))
            expect(Math.min(...sizes)).toBeGreaterThanOrEqual(minClusterSize);
          const favouritesOf = new Map<number, number>();
          for (let i = 0; i < table.length; i++)
            favouritesOf.set(table.userIds[i]!, (favouritesOf.get(table.userIds[i]!) ?? 0) + 1);
          model.clusters.forEach((cluster, c) => {
            expect(cluster.clusterId).toBe(c);
            const members = Array.from(model.userIds).filter((_, i) => model.clusterOf[i] === c);
            expect(members).toHaveLength(cluster.size);
            const total = members.reduce((sum, u) => sum + favouritesOf.get(u)!, 0);
            expect(cluster.counts.reduce((x, y) => x + y, 0)).toBe(total);
          });
          const width = model.membershipWidth;
          for (let i = 0; i < n; i++) {
            expect(model.membershipClusters[i * width]).toBe(model.clusterOf[i]);
            let sum = 0;
            for (let j = 0; j < width; j++) sum += model.membershipWeights[i * width + j]!;
            expect(sum).toBeCloseTo(1, 5);
          }
        },
      ),
      { numRuns: 60, seed: 20261121 },
    );
  });
});
