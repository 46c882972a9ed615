import fc from "fast-check";
import { kmeans as mlKmeans } from "ml-kmeans";
import { describe, expect, it } from "vitest";
import { kmeans } from "../../../../shared/domain/clustering/kmeans.js";
import type { Geometry } from "../../../../shared/domain/clustering/model.js";
import { createRandom } from "../../../../shared/domain/clustering/random.js";
import type { SparseMatrix } from "../../../../shared/domain/clustering/sparse-matrix.js";
import { ValidationError } from "../../../../shared/domain/errors.js";
import { sparseFromDense } from "../../../helpers/matrix-fixtures.js";

/** Two obvious taste groups over movies (10, 20, 30, 40): users 1-3 like 10 and 20, users 4-6 like 30 and 40. */
const twoGroups = [
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [1, 1, 1, 0],
  [0, 0, 1, 1],
  [0, 0, 1, 1],
  [0, 0, 0, 1],
];

function toDense(matrix: SparseMatrix, geometry: Geometry): number[][] {
  return Array.from({ length: matrix.rows }, (_, i) => {
    const row = new Array<number>(matrix.cols).fill(0);
    let norm = 0;
    for (let p = matrix.rowPtr[i]!; p < matrix.rowPtr[i + 1]!; p++) {
      const v = matrix.values === null ? 1 : matrix.values[p]!;
      row[matrix.colIdx[p]!] = v;
      norm += v * v;
    }
    return geometry === "cosine" && norm > 0 ? row.map((v) => v / Math.sqrt(norm)) : row;
  });
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, v, i) => sum + (v - b[i]!) ** 2, 0);
}

/** Cluster-major copy of the movie-major centroids. */
function centroidRows(centroids: Float32Array, k: number, cols: number): number[][] {
  return Array.from({ length: k }, (_, j) => Array.from({ length: cols }, (_, m) => centroids[m * k + j]!));
}

/** Seeded blobs: `groups` centres in [0, 4)^dims, points scattered around them, about a third of cells zero. */
function blobs(seed: number, rows: number, dims: number, groups: number, binary: boolean): number[][] {
  const random = createRandom(seed);
  const centres = Array.from({ length: groups }, () => Array.from({ length: dims }, () => random.next() * 4));
  return Array.from({ length: rows }, (_, i) => {
    const centre = centres[i % groups]!;
    return centre.map((c) => {
      if (binary) return random.next() < c / 4 ? 1 : 0;
      const v = c + (random.next() - 0.5) * 1.5;
      return v < 1 ? 0 : Math.round(v * 100) / 100;
    });
  });
}

describe("kmeans on two obvious groups", () => {
  it("finds the groups with the hand-computed inertia 4/3, for any seed", () => {
    const matrix = sparseFromDense(twoGroups);
    for (const seed of [1, 2, 3, 42]) {
      const result = kmeans(matrix, { k: 2, seed, geometry: "euclidean", tolerance: 0 });
      const first = result.assignments[0]!;
      expect(Array.from(result.assignments)).toEqual([first, first, first, 1 - first, 1 - first, 1 - first]);
      // Group means (1, 1, 1/3, 0) and (0, 0, 2/3, 1): squared distances 1/9 + 1/9 + 4/9 per group.
      expect(result.inertia).toBeCloseTo(4 / 3, 6);
      expect(centroidRows(result.centroids, 2, 4)[first]![2]).toBeCloseTo(1 / 3, 6);
      expect(result.converged).toBe(true);
    }
  });

  it("gives identical results for the same seed", () => {
    const matrix = sparseFromDense(blobs(7, 60, 12, 4, true));
    const a = kmeans(matrix, { k: 4, seed: 9, geometry: "cosine", restarts: 3 });
    const b = kmeans(matrix, { k: 4, seed: 9, geometry: "cosine", restarts: 3 });
    expect(Array.from(b.assignments)).toEqual(Array.from(a.assignments));
    expect(Array.from(b.centroids)).toEqual(Array.from(a.centroids));
    expect(b.restartInertias).toEqual(a.restartInertias);
  });

  it("starts from different centres for different seeds", () => {
    const matrix = sparseFromDense(blobs(11, 80, 10, 5, true));
    const outcomes = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) =>
        kmeans(matrix, { k: 6, seed, geometry: "euclidean", restarts: 1, maxIterations: 1 }).inertia.toFixed(
          9,
        ),
      ),
    );
    expect(outcomes.size).toBeGreaterThan(1);
  });

  it("keeps the lowest-inertia restart", () => {
    const matrix = sparseFromDense(blobs(13, 90, 10, 6, true));
    const result = kmeans(matrix, { k: 6, seed: 5, restarts: 5, geometry: "cosine" });
    expect(result.restartInertias).toHaveLength(5);
    expect(result.inertia).toBe(Math.min(...result.restartInertias));
    expect(result.restartInertias[result.restart]).toBe(result.inertia);
  });

  it("repairs an empty cluster with the row farthest from its centre", () => {
    // The third initial centre is far from every row, so it starts empty and takes row 5 (squared distance 4).
    const matrix = sparseFromDense([
      [1, 0],
      [1.2, 0],
      [0, 1],
      [0, 1.2],
      [0, 3],
    ]);
    const init = [
      [1, 0],
      [0, 1],
      [10, 10],
    ];
    const result = kmeans(matrix, { k: 3, seed: 1, geometry: "euclidean", init, tolerance: 0 });
    expect(Array.from(result.assignments)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(result.sizes)).toEqual([2, 2, 1]);
    expect(centroidRows(result.centroids, 3, 2)[2]).toEqual([0, 3]);
    expect(result.inertia).toBeCloseTo(0.04, 6);
  });

  it("rejects a k larger than the number of rows, naming the field", () => {
    const matrix = sparseFromDense(twoGroups);
    expect(() => kmeans(matrix, { k: 7, seed: 1 })).toThrow(ValidationError);
    expect(() => kmeans(matrix, { k: 7, seed: 1 })).toThrow("k is 7 but there are only 6 rows to cluster");
    expect(() => kmeans(matrix, { k: 0, seed: 1 })).toThrow("k must be a positive integer, got 0");
  });
});

describe("kmeans against the ml-kmeans oracle from the same initial centroids", () => {
  const cases: { name: string; dense: number[][]; k: number; start: number[] }[] = [
    { name: "real-valued blobs", dense: blobs(1, 60, 8, 3, false), k: 3, start: [0, 3, 6] },
    { name: "real-valued blobs, k=5", dense: blobs(2, 100, 12, 5, false), k: 5, start: [0, 5, 10, 15, 20] },
    { name: "binary rows", dense: blobs(3, 90, 15, 3, true), k: 3, start: [0, 1, 2] },
    { name: "binary rows, k=4", dense: blobs(4, 120, 20, 4, true), k: 4, start: [1, 5, 9, 13] },
    // Large enough for the bounds to leave several candidate centres per row (the partial-rescan path).
    {
      name: "binary rows, k=12",
      dense: blobs(5, 360, 40, 12, true),
      k: 12,
      start: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => i * 13),
    },
  ];
  for (const { name, dense, k, start } of cases)
    for (const geometry of ["euclidean", "cosine"] as const)
      it(`${name}, ${geometry}`, () => {
        const matrix = sparseFromDense(dense);
        const points = toDense(matrix, geometry);
        const init = start.map((i) => points[i]!);
        const oracle = mlKmeans(points, k, { initialization: init, tolerance: 0, maxIterations: 1000 });
        let pruned = 0;
        const ours = kmeans(matrix, {
          k,
          seed: 0,
          geometry,
          init,
          tolerance: 0,
          maxIterations: 1000,
          onProgress: (e) => {
            if (e.kind === "iteration" && e.iteration > 1) pruned += matrix.rows - e.fullScans;
          },
        });
        expect(oracle.converged).toBe(true);
        expect(Array.from(ours.assignments)).toEqual(oracle.clusters);
        const oracleInertia = points.reduce(
          (sum, point, i) => sum + squaredDistance(point, oracle.centroids[oracle.clusters[i]!]!),
          0,
        );
        expect(ours.inertia).toBeCloseTo(oracleInertia, 5);
        expect(ours.iterations).toBeGreaterThan(1);
        // The bounds did skip full scans, so the agreement covers the pruned path, not just plain Lloyd.
        expect(pruned).toBeGreaterThan(0);
      });
});

describe("kmeans invariants (property tests)", () => {
  const matrices = fc
    .record({
      rows: fc.integer({ min: 2, max: 40 }),
      cols: fc.integer({ min: 2, max: 12 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      density: fc.double({ min: 0.15, max: 0.7, noNaN: true }),
    })
    .map(({ rows, cols, seed, density }) => {
      const random = createRandom(seed);
      const dense: number[][] = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (random.next() < density ? 1 : 0)),
      );
      for (const row of dense) if (!row.includes(1)) row[random.int(cols)] = 1;
      return dense;
    });

  it("assigns each row to exactly one cluster, its nearest centroid, and inertia never rises", () => {
    fc.assert(
      fc.property(
        matrices,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom<Geometry>("euclidean", "cosine"),
        (dense, kWanted, seed, geometry) => {
          const matrix = sparseFromDense(dense);
          const k = Math.min(kWanted, matrix.rows);
          const result = kmeans(matrix, { k, seed, geometry, tolerance: 0, maxIterations: 50 });
          const points = toDense(matrix, geometry);
          const centres = centroidRows(result.centroids, k, matrix.cols);
          expect(result.assignments).toHaveLength(matrix.rows);
          const sizes = new Array<number>(k).fill(0);
          let inertia = 0;
          points.forEach((point, i) => {
            const a = result.assignments[i]!;
            expect(a >= 0 && a < k).toBe(true);
            sizes[a]!++;
            const distances = centres.map((c) => squaredDistance(point, c));
            expect(distances[a]!).toBeLessThanOrEqual(Math.min(...distances) + 1e-9);
            inertia += distances[a]!;
          });
          expect(Array.from(result.sizes)).toEqual(sizes);
          expect(result.inertia).toBeCloseTo(inertia, 6);
          const history = result.inertiaHistory;
          for (let t = 1; t < history.length; t++)
            expect(history[t]!).toBeLessThanOrEqual(history[t - 1]! * (1 + 1e-12) + 1e-12);
        },
      ),
      { numRuns: 150, seed: 20261121 },
    );
  });
});
