import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KMeansProgress, kmeans } from "../../../shared/domain/clustering/kmeans.js";
import type { TrainingProgress } from "../../../shared/domain/clustering/model.js";
import { buildFavouriteMatrix } from "../../../shared/domain/clustering/sparse-matrix.js";
import { trainModel } from "../../../shared/domain/clustering/train.js";
import {
  forEachSyntheticUser,
  planSyntheticDataset,
} from "../../../shared/domain/evaluation/synthetic-dataset.js";
import type { RatingsTable } from "../../../shared/domain/input/ratings.js";
import type { KernelName, ParallelRunner } from "../../../shared/domain/parallel.js";
import { itemNeighbours } from "../../../shared/domain/ranking/item-neighbours.js";
import { createWorkerPool, type WorkerPool } from "../../../shared/parallel/worker-pool.js";

/** 900 users, 1,500 movies, 70,000 ratings with planted groups: big enough for several chunks and restarts. */
function syntheticTable(
  size: { users: number; movies: number; ratings: number; seed: number } = {
    users: 900,
    movies: 1_500,
    ratings: 70_000,
    seed: 3,
  },
): RatingsTable {
  const plan = planSyntheticDataset(size);
  const rows = { users: [] as number[], movies: [] as number[], ratings: [] as number[] };
  forEachSyntheticUser(plan, (user) => {
    for (let i = 0; i < user.count; i++) {
      rows.users.push(user.userId);
      rows.movies.push(user.movieIds[i]!);
      rows.ratings.push(user.ratings[i]!);
    }
  });
  const ratings = Float32Array.from(rows.ratings);
  return {
    length: ratings.length,
    userIds: Int32Array.from(rows.users),
    movieIds: Int32Array.from(rows.movies),
    ratings,
    timestamps: new Uint32Array(ratings.length),
    favourite: Uint8Array.from(ratings, (r) => (r >= 4 ? 1 : 0)),
  };
}

/** Delegates to the pool and records which kernels ran on it, with how many tasks. */
function recording(pool: WorkerPool): { runner: ParallelRunner; calls: [KernelName, number][] } {
  const calls: [KernelName, number][] = [];
  return {
    calls,
    runner: {
      workers: pool.workers,
      share: pool.share!,
      run(kernel, shared, tasks) {
        calls.push([kernel, tasks.length]);
        return pool.run(kernel, shared, tasks);
      },
    },
  };
}

describe("training on worker threads", () => {
  let pool: WorkerPool;
  const table = syntheticTable();
  const matrix = buildFavouriteMatrix(table);
  beforeAll(() => {
    pool = createWorkerPool({ workers: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("chooses k and fits exactly as one thread does, with the same progress", () => {
    const options = {
      k: "auto" as const,
      kRange: [2, 7] as const,
      seed: 11,
      restarts: 3,
      sweep: { maxUsers: 500 },
    };
    const alone: TrainingProgress[] = [];
    const single = trainModel(table, { ...options, onProgress: (e) => alone.push(e) });
    const { runner, calls } = recording(pool);
    const together: TrainingProgress[] = [];
    const parallel = trainModel(table, { ...options, parallel: runner, onProgress: (e) => together.push(e) });

    expect(calls).toEqual([
      ["k-sweep-candidate", 6],
      ["kmeans-restart", 3],
    ]);
    expect(parallel).toEqual(single);
    expect(parallel.kSelection.candidates).toHaveLength(6);
    expect(together).toEqual(alone);
  }, 60_000);

  it("computes item neighbours exactly as one thread does, in many chunks", () => {
    const single = itemNeighbours(matrix, { perMovie: 10, similarity: { kind: "cosine" } });
    const { runner, calls } = recording(pool);
    const parallel = itemNeighbours(matrix, { perMovie: 10, similarity: { kind: "cosine" } }, runner);
    expect(calls).toEqual([["neighbour-chunk", expect.any(Number)]]);
    expect(calls[0]![1]).toBeGreaterThan(2);
    expect(parallel).toEqual(single);
    expect(parallel.neighbours.length).toBeGreaterThan(1_000);
  }, 60_000);

  it("splits each k-means assignment step over the threads, exactly as one thread assigns", () => {
    // 6,000 users: enough rows for two threads (2,048 each at least); one restart, so the steps split.
    const big = buildFavouriteMatrix(
      syntheticTable({ users: 6_000, movies: 1_200, ratings: 240_000, seed: 5 }),
    );
    for (const geometry of ["cosine", "euclidean"] as const) {
      const options = { k: 9, seed: 7, restarts: 1, maxIterations: 40, tolerance: 0, geometry };
      const alone: KMeansProgress[] = [];
      const single = kmeans(big, { ...options, onProgress: (e) => alone.push(e) });
      const { runner, calls } = recording(pool);
      const together: KMeansProgress[] = [];
      const parallel = kmeans(big, { ...options, parallel: runner, onProgress: (e) => together.push(e) });

      // One call per assignment step (the first, then one per update), each split in two ranges.
      expect(calls).toEqual(Array.from({ length: single.iterations + 1 }, () => ["kmeans-assign", 2]));
      expect(single.iterations).toBeGreaterThan(3);
      expect(parallel).toEqual(single);
      expect(together).toEqual(alone);
      // The bounds pruned most rows in later steps, so the pruned paths ran in the workers too.
      const last = alone.filter((e) => e.kind === "iteration").at(-1)!;
      expect(last.kind === "iteration" && last.fullScans).toBeLessThan(big.rows / 2);
    }
  }, 120_000);

  it("keeps restarts side by side when there are several, and a small matrix's steps in this thread", () => {
    const { runner, calls } = recording(pool);
    const options = { k: 5, seed: 3, maxIterations: 10 };
    expect(kmeans(matrix, { ...options, restarts: 1, parallel: runner })).toEqual(
      kmeans(matrix, { ...options, restarts: 1 }),
    );
    expect(calls).toEqual([]);
    kmeans(matrix, { ...options, restarts: 2, parallel: runner });
    expect(calls).toEqual([["kmeans-restart", 2]]);
  }, 60_000);

  it("reports a kernel that throws in a worker, naming the kernel", () => {
    expect(() =>
      pool.run("neighbour-chunk", { cols: 3 }, [
        [0, 1],
        [1, 2],
      ]),
    ).toThrow(/neighbour-chunk failed in a worker thread: TypeError/);
  }, 60_000);

  it("with one worker, or none, runs in this thread", () => {
    const { runner, calls } = recording(pool);
    const one = { workers: 1, run: runner.run };
    expect(itemNeighbours(matrix, { perMovie: 5, similarity: { kind: "cosine" } }, one)).toEqual(
      itemNeighbours(matrix, { perMovie: 5, similarity: { kind: "cosine" } }),
    );
    expect(calls).toEqual([]);
  });
});
