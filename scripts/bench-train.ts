/**
 * `npm run bench:train -- --ratings <file> [--k 20] [--iterations 20] [--geometry cosine|euclidean]
 * [--seed 1] [--workers 1] [--json] [--anchor]`: times the training path stage by stage on one file: streaming parse,
 * favourites matrix build, k-means++ initialisation, a fixed number of Lloyd iterations (tolerance 0, one
 * restart), cluster counts; and reports the final inertia and peak RSS. `--workers N` (N > 1) splits each
 * assignment step over N worker threads (identical results).
 */
import { createRowSpace } from "../shared/domain/clustering/centroid-distances.js";
import { countClusterFavourites, toClusterCounts } from "../shared/domain/clustering/clusters.js";
import { kmeans } from "../shared/domain/clustering/kmeans.js";
import type { Geometry } from "../shared/domain/clustering/model.js";
import { buildFavouriteMatrix, type SparseMatrix } from "../shared/domain/clustering/sparse-matrix.js";
import { readRatingsFile } from "../shared/io/read-ratings.js";
import { createWorkerPool } from "../shared/parallel/worker-pool.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npm run bench:train -- --ratings <file> [--k 20] [--iterations 20] [--geometry cosine|euclidean] [--seed 1] [--workers 1] [--json] [--anchor]

Times parse, matrix build, k-means++ init, each Lloyd iteration and cluster counts; prints peak RSS.
--workers N (N > 1) runs each assignment step on N worker threads (same result); default 1: this thread.
--anchor also times a textbook plain-JS Lloyd iteration in the same run (after the timed total) and
reports our seconds per iteration as a ratio of it.
`;

const seconds = (from: number): number => (performance.now() - from) / 1000;

/**
 * The same-run anchor: one textbook Lloyd iteration in plain JavaScript (float32 movie-major centroids,
 * an accumulator array, columns in id order, no bounds), like PERFORMANCE.md's 0.49 s "plain JS" floor.
 * Returns its seconds; the machine is shared, so ratios against it travel better than absolute times.
 */
function plainLloydIteration(
  matrix: SparseMatrix,
  geometry: Geometry,
  centroids: Float32Array,
  k: number,
): number {
  const started = performance.now();
  const { rows, cols, rowPtr, colIdx } = matrix;
  const { scale, norm2 } = createRowSpace(matrix, geometry);
  const norms = new Float64Array(k);
  for (let m = 0; m < cols; m++) for (let j = 0; j < k; j++) norms[j]! += centroids[m * k + j]! ** 2;
  const acc = new Float64Array(k);
  const sums = new Float64Array(cols * k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows; i++) {
    acc.fill(0);
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const base = colIdx[p]! * k;
      for (let j = 0; j < k; j++) acc[j]! += centroids[base + j]!;
    }
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const d = norm2[i]! - 2 * scale[i]! * acc[j]! + norms[j]!;
      if (d < bestD) [best, bestD] = [j, d];
    }
    sizes[best]!++;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) sums[colIdx[p]! * k + best]! += scale[i]!;
  }
  for (let m = 0; m < cols; m++)
    for (let j = 0; j < k; j++) if (sizes[j]! > 0) centroids[m * k + j] = sums[m * k + j]! / sizes[j]!;
  return seconds(started);
}

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, {
    ratings: "value",
    k: "value",
    iterations: "value",
    geometry: "value",
    seed: "value",
    workers: "value",
    json: "switch",
    anchor: "switch",
  });
  const file = args.required("ratings");
  const k = args.int("k", { default: 20, min: 1 });
  const iterations = args.int("iterations", { default: 20, min: 1 });
  const geometry = args.choice("geometry", ["cosine", "euclidean"] as const, "cosine");
  const seed = args.int("seed", { default: 1 });
  const workers = args.int("workers", { default: 1, min: 1, max: 64 });
  const pool = workers > 1 ? createWorkerPool({ workers }) : undefined;
  const json = args.has("json");
  const log = (line: string): void => {
    if (!json) process.stdout.write(`${line}\n`);
  };

  const started = performance.now();
  const { table, report } = await readRatingsFile(file);
  const parseSeconds = seconds(started);
  log(
    `parse: ${report.rowsRead.toLocaleString("en")} rows in ${parseSeconds.toFixed(2)} s ` +
      `(${(report.rowsRead / parseSeconds / 1e6).toFixed(2)} M rows/s)`,
  );

  let mark = performance.now();
  const matrix = buildFavouriteMatrix(table);
  const buildSeconds = seconds(mark);
  log(
    `matrix: ${matrix.rows.toLocaleString("en")} users x ${matrix.cols.toLocaleString("en")} movies, ` +
      `${matrix.nnz.toLocaleString("en")} favourites, built in ${buildSeconds.toFixed(2)} s`,
  );

  mark = performance.now();
  let initSeconds = 0;
  const iterationSeconds: number[] = [];
  const result = kmeans(matrix, {
    k,
    seed,
    geometry,
    maxIterations: iterations,
    tolerance: 0,
    restarts: 1,
    ...(pool ? { parallel: pool } : {}),
    onProgress: (event) => {
      const elapsed = seconds(mark);
      mark = performance.now();
      if (event.kind === "init") {
        initSeconds = elapsed;
        log(`k-means++ init (k = ${k}, ${geometry}): ${elapsed.toFixed(3)} s`);
        return;
      }
      iterationSeconds.push(elapsed);
      log(
        `iteration ${event.iteration}: ${elapsed.toFixed(3)} s, inertia ${event.inertia.toFixed(3)}, ` +
          `changed ${event.changed}, full scans ${event.fullScans}, single distances ${event.singleDistances}`,
      );
    },
  });
  // The final assignment step after the last update is part of the fit: charge it to the iterations.
  const finalAssignSeconds = seconds(mark);
  await pool?.close();
  mark = performance.now();
  const clusters = toClusterCounts(matrix, countClusterFavourites(matrix, result.assignments, k));
  const countsSeconds = seconds(mark);
  const totalSeconds = seconds(started);
  const lloydSeconds = iterationSeconds.reduce((a, b) => a + b, 0) + finalAssignSeconds;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  let anchorSeconds: number | undefined;
  if (args.has("anchor")) {
    // Start the anchor from the fit's centroids; best of three iterations.
    const centroids = result.centroids.slice();
    anchorSeconds = Math.min(...[0, 1, 2].map(() => plainLloydIteration(matrix, geometry, centroids, k)));
  }
  const summary = {
    parseSeconds,
    buildSeconds,
    initSeconds,
    secondsPerIteration: lloydSeconds / Math.max(1, result.iterations),
    iterations: result.iterations,
    workers,
    countsSeconds,
    totalSeconds,
    peakRssBytes,
    inertia: result.inertia,
    ...(anchorSeconds === undefined
      ? {}
      : {
          anchorSecondsPerIteration: anchorSeconds,
          ratioToAnchor: lloydSeconds / result.iterations / anchorSeconds,
        }),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  log(`cluster counts: ${clusters.length} clusters in ${countsSeconds.toFixed(2)} s`);
  if (anchorSeconds !== undefined)
    log(
      `anchor: a plain-JS Lloyd iteration takes ${anchorSeconds.toFixed(3)} s here; ours ` +
        `${summary.secondsPerIteration.toFixed(3)} s = ${(summary.secondsPerIteration / anchorSeconds).toFixed(2)}x of it`,
    );
  log(
    `total ${totalSeconds.toFixed(2)} s; ${summary.secondsPerIteration.toFixed(3)} s per iteration over ` +
      `${result.iterations} iterations${result.converged ? " (converged)" : ""}, ${workers} thread(s); final inertia ` +
      `${result.inertia.toFixed(3)}; peak RSS ${(summary.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
});
