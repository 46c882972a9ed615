import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countClusterFavourites,
  coveringCluster,
  foldSmallClusters,
  globalCounts,
  toClusterCounts,
} from "../../../../shared/domain/clustering/clusters.js";
import { createRandom } from "../../../../shared/domain/clustering/random.js";
import { buildFavouriteMatrix } from "../../../../shared/domain/clustering/sparse-matrix.js";
import { favouritesTable, sparseFromDense } from "../../../helpers/matrix-fixtures.js";

describe("cluster counts", () => {
  // Users 1..5 over movies 10, 20, 30; clusters: {1, 2, 3} and {4, 5}.
  const matrix = buildFavouriteMatrix(
    favouritesTable({ 1: [10, 20], 2: [20, 30], 3: [20], 4: [30], 5: [10, 30] }),
  );
  const assignments = Int32Array.from([0, 0, 0, 1, 1]);

  it("counts each cluster's members and their favourites per movie, sorted by count then movieId", () => {
    const dense = countClusterFavourites(matrix, assignments, 2);
    expect(Array.from(dense.sizes)).toEqual([3, 2]);
    const clusters = toClusterCounts(matrix, dense);
    expect(clusters.map((c) => [c.clusterId, c.size, Array.from(c.movieIds), Array.from(c.counts)])).toEqual([
      [0, 3, [20, 10, 30], [3, 1, 1]],
      [1, 2, [30, 10], [2, 1]],
    ]);
  });

  it("gives global counts over all users", () => {
    const global = globalCounts(matrix);
    expect(global.users).toBe(5);
    expect(Array.from(global.movieIds)).toEqual([20, 30, 10]);
    expect(Array.from(global.counts)).toEqual([3, 3, 2]);
  });
});

describe("coveringCluster (placing a set of favourites)", () => {
  const clusters = [
    {
      clusterId: 0,
      size: 10,
      counts: new Map([
        [1, 9],
        [2, 1],
      ]),
    },
    {
      clusterId: 1,
      size: 4,
      counts: new Map([
        [1, 1],
        [3, 2],
      ]),
    },
    {
      clusterId: 2,
      size: 2,
      counts: new Map([
        [2, 1],
        [3, 1],
      ]),
    },
    {
      clusterId: 3,
      size: 0,
      counts: new Map([
        [1, 5],
        [2, 5],
        [3, 5],
      ]),
    },
  ];

  it("picks the cluster covering the largest share of the favourites", () => {
    // {1, 3}: cluster 1 covers both (2/2); clusters 0 and 2 cover one each. The empty cluster 3 never counts.
    expect(coveringCluster([1, 3], clusters)).toEqual({
      clusterId: 1,
      covered: 2,
      coverage: 1,
      affinity: 0.75,
    });
  });

  it("breaks a coverage tie by the larger sum of count / size", () => {
    // {1, 2}: cluster 0 covers both with 9/10 + 1/10 = 1.0; cluster 2 covers one; cluster 1 covers one.
    expect(coveringCluster([1, 2], clusters)?.clusterId).toBe(0);
    // {2, 3}: cluster 2 covers both (0.5 + 0.5 = 1.0); cluster 0 covers 2 only.
    expect(coveringCluster([2, 3, 3], clusters)).toEqual({
      clusterId: 2,
      covered: 2,
      coverage: 1,
      affinity: 1,
    });
  });

  it("breaks a full tie by the smaller cluster id, and returns null without clusters", () => {
    const twins = [
      { clusterId: 7, size: 2, counts: new Map([[5, 1]]) },
      { clusterId: 4, size: 2, counts: new Map([[5, 1]]) },
    ];
    expect(coveringCluster([5], twins)?.clusterId).toBe(4);
    expect(coveringCluster([], twins)).toEqual({ clusterId: 4, covered: 0, coverage: 0, affinity: 0 });
    expect(coveringCluster([5], [])).toBeNull();
  });
});

describe("folding small clusters", () => {
  it("moves each member of a small cluster to the survivor covering most of its favourites", () => {
    // Clusters: 0 = users 1-3 (movies 1, 2), 1 = user 4 (movies 2, 3), 2 = users 5-7 (movies 3, 4).
    // With S = 2, cluster 1 folds: user 4's movies 2 and 3 are each covered once by clusters 0 and 2;
    // affinity 3/3 in cluster 0 (three members favour movie 2) against 1/3 in cluster 2 (one favours 3).
    const matrix = sparseFromDense([
      [1, 1, 0, 0],
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 1],
      [0, 0, 0, 1],
      [0, 0, 0, 1],
    ]);
    const assignments = Int32Array.from([0, 0, 0, 1, 2, 2, 2]);
    const dense = countClusterFavourites(matrix, assignments, 3);
    const folded = foldSmallClusters(matrix, assignments, dense, 2);
    expect(folded.k).toBe(2);
    expect(Array.from(folded.survivorOf)).toEqual([0, -1, 1]);
    expect(Array.from(folded.assignments)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(folded.movedUsers).toBe(1);
    const after = toClusterCounts(matrix, countClusterFavourites(matrix, folded.assignments, 2));
    expect(after.map((c) => [c.size, Array.from(c.movieIds), Array.from(c.counts)])).toEqual([
      [4, [2, 1, 3], [4, 2, 1]],
      [3, [4, 3], [3, 1]],
    ]);
  });

  it("folds nothing when every cluster is small, but drops empty ones", () => {
    const matrix = sparseFromDense([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const assignments = Int32Array.from([0, 2, 2]);
    const folded = foldSmallClusters(matrix, assignments, countClusterFavourites(matrix, assignments, 3), 6);
    expect(Array.from(folded.assignments)).toEqual([0, 1, 1]);
    expect(Array.from(folded.survivorOf)).toEqual([0, -1, 1]);
    expect(folded.movedUsers).toBe(0);
  });

  it("keeps counts equal to members' favourites and leaves no cluster under S (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (rows, cols, k, minSize, seed) => {
          const random = createRandom(seed);
          const dense = Array.from({ length: rows }, () => Array.from({ length: cols }, () => 0));
          for (const row of dense) {
            row[random.int(cols)] = 1;
            for (let c = 0; c < cols; c++) if (random.next() < 0.3) row[c] = 1;
          }
          const matrix = sparseFromDense(dense);
          const assignments = Int32Array.from({ length: rows }, () => random.int(k));
          const folded = foldSmallClusters(
            matrix,
            assignments,
            countClusterFavourites(matrix, assignments, k),
            minSize,
          );
          const after = countClusterFavourites(matrix, folded.assignments, folded.k);
          const sizes = Array.from(after.sizes);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(rows);
          expect(sizes.every((s) => s >= 1)).toBe(true);
          if (sizes.some((s) => s >= minSize)) expect(sizes.every((s) => s >= minSize)).toBe(true);
          const clusters = toClusterCounts(matrix, after);
          for (const cluster of clusters) {
            const members = dense.filter((_, i) => folded.assignments[i] === cluster.clusterId);
            const total = members.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
            expect(cluster.counts.reduce((a, b) => a + b, 0)).toBe(total);
            expect(cluster.size).toBe(members.length);
            for (let i = 1; i < cluster.counts.length; i++) {
              const order =
                cluster.counts[i - 1]! - cluster.counts[i]! ||
                cluster.movieIds[i]! - cluster.movieIds[i - 1]!;
              expect(order).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 200, seed: 20261121 },
    );
  });
});
