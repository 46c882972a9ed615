import { describe, expect, it } from "vitest";
import { clusterCentroids } from "../../../../shared/domain/clustering/cluster-centroids.js";
import { placeByCloseness } from "../../../../shared/domain/ranking/placement.js";
import { sparseFromDense } from "../../../helpers/matrix-fixtures.js";

describe("clusterCentroids", () => {
  it("averages the members' rows, L2-normalised under cosine", () => {
    // Rows: u0 = {m0, m1} (cluster 0), u1 = {m0} (cluster 0), u2 = {m2} (cluster 1).
    const matrix = sparseFromDense([
      [1, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const cosine = clusterCentroids(matrix, Int32Array.from([0, 0, 1]), 2, "cosine");
    const h = 1 / Math.sqrt(2);
    // Cluster 0 on m0: (h + 1) / 2; on m1: h / 2. Cluster 1 on m2: 1.
    expect(Array.from(cosine.coords)).toEqual([(h + 1) / 2, 0, h / 2, 0, 0, 1].map((x) => Math.fround(x)));
    expect(cosine.norms2[0]).toBeCloseTo(((h + 1) / 2) ** 2 + (h / 2) ** 2, 6);
    expect(cosine.norms2[1]).toBe(1);
    const euclidean = clusterCentroids(matrix, Int32Array.from([0, 0, 1]), 2, "euclidean");
    expect(Array.from(euclidean.coords)).toEqual([1, 0, 0.5, 0, 0, 1]);
  });
});

describe("placeByCloseness", () => {
  const coords = new Map<number, number[]>([
    [10, [0.9, 0.1]],
    [11, [0.8, 0.0]],
    [20, [0.0, 0.9]],
  ]);
  const space = {
    geometry: "cosine" as const,
    norms2: [1.45, 0.82],
    sizes: [5, 4],
    coordsOf: (movieId: number) => coords.get(movieId),
  };

  it("puts picks nearest the centroid that holds them, with soft weights summing to 1", () => {
    const placed = placeByCloseness([10, 11], space, { width: 2, sharpness: 1 });
    expect(placed.map((m) => m.clusterId)).toEqual([0, 1]);
    // x = 1/sqrt(2) per pick: d0 = 1 - 2 x (1.7) + 1.45, d1 = 1 - 2 x (0.1) + 0.82.
    const x = 1 / Math.sqrt(2);
    const d0 = 1 - 2 * x * 1.7 + 1.45;
    const d1 = 1 - 2 * x * 0.1 + 0.82;
    expect(placed[0]!.weight).toBeCloseTo(1 / (1 + d0 / d1), 10);
    expect(placed[0]!.weight + placed[1]!.weight).toBeCloseTo(1, 12);
    expect(placeByCloseness([20], space, { width: 1, sharpness: 8 })).toEqual([{ clusterId: 1, weight: 1 }]);
  });

  it("leaves unknown movies out, and places nothing when none is known", () => {
    expect(placeByCloseness([10, 99], space, { width: 1, sharpness: 1 })).toEqual(
      placeByCloseness([10], space, { width: 1, sharpness: 1 }),
    );
    expect(placeByCloseness([98, 99], space, { width: 2, sharpness: 1 })).toEqual([]);
  });

  it("never places on an empty cluster", () => {
    const placed = placeByCloseness([10], { ...space, sizes: [0, 4] }, { width: 2, sharpness: 1 });
    expect(placed).toEqual([{ clusterId: 1, weight: 1 }]);
  });
});
