/**
 * `npm run bench:parallel -- --ratings <file> [--workers 1,2] [--k 20] [--restarts 4] [--seed 42] [--json]`:
 * times the three parts of training that run on worker threads, at each worker count, on one file: the
 * automatic k sweep (production settings), the final k-means fit (k, restarts) and the item neighbours; and
 * checks that every worker count gives exactly the result of one thread.
 */

import { isDeepStrictEqual } from "node:util";
import { selectK } from "../shared/domain/clustering/k-selection.js";
import { kmeans } from "../shared/domain/clustering/kmeans.js";
import { buildFavouriteMatrix } from "../shared/domain/clustering/sparse-matrix.js";
import { itemNeighbours } from "../shared/domain/ranking/item-neighbours.js";
import { readRatingsFile } from "../shared/io/read-ratings.js";
import { availableCores, createWorkerPool, type WorkerPool } from "../shared/parallel/worker-pool.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npm run bench:parallel -- --ratings <file> [--workers 1,2] [--k 20] [--restarts 4] [--seed 42] [--json]

Times the k sweep, the final k-means fit and the item neighbours at each worker count (1 = this thread, no
pool), and checks each result equals the single-threaded one. Prints peak RSS.
`;

const seconds = (from: number): number => (performance.now() - from) / 1000;

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, {
    ratings: "value",
    workers: "value",
    k: "value",
    restarts: "value",
    seed: "value",
    json: "switch",
  });
  const file = args.required("ratings");
  const workerCounts = (args.optional("workers") ?? "1,2").split(",").map(Number);
  if (workerCounts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error("--workers must be a comma-separated list of positive integers, for example 1,2");
  const k = args.int("k", { default: 20, min: 1 });
  const restarts = args.int("restarts", { default: 4, min: 1 });
  const seed = args.int("seed", { default: 42 });
  const json = args.has("json");
  const log = (line: string): void => {
    if (!json) process.stdout.write(`${line}\n`);
  };

  const { table } = await readRatingsFile(file);
  const matrix = buildFavouriteMatrix(table);
  log(
    `${table.length.toLocaleString("en")} ratings, ${matrix.rows.toLocaleString("en")} users x ` +
      `${matrix.cols.toLocaleString("en")} movies, ${matrix.nnz.toLocaleString("en")} favourites; ` +
      `${availableCores()} cores available`,
  );
  const rows: Record<string, number | boolean>[] = [];
  let reference: { sweep: unknown; fit: unknown; neighbours: unknown } | undefined;
  for (const workers of workerCounts) {
    let pool: WorkerPool | undefined;
    const startedPool = performance.now();
    if (workers > 1) {
      pool = createWorkerPool({ workers });
      // Start-up of the threads (module loading) is paid once per training run; time it on its own.
      pool.run(
        "neighbour-chunk",
        {
          // A whole NeighbourShared with no columns: the kernel reads its similarity before the column loop.
          rows: 0,
          cols: 0,
          perMovie: 1,
          similarity: { kind: "cosine" },
          ease: null,
          easeScale: 0,
          rowPtr: new Int32Array(1),
          colIdx: new Int32Array(0),
          colPtr: new Int32Array(1),
          usersOf: new Int32Array(0),
        },
        [
          [0, 0],
          [0, 0],
        ],
      );
    }
    const poolSeconds = seconds(startedPool);
    const parallel = pool ? { parallel: pool } : {};
    let mark = performance.now();
    const sweep = selectK(matrix, { seed, ...parallel });
    const sweepSeconds = seconds(mark);
    mark = performance.now();
    const fit = kmeans(matrix, { k, seed, geometry: "cosine", restarts, ...parallel });
    const fitSeconds = seconds(mark);
    mark = performance.now();
    const neighbours = itemNeighbours(matrix, undefined, pool);
    const neighboursSeconds = seconds(mark);
    await pool?.close();
    const result = { sweep, fit, neighbours };
    reference ??= result;
    const identical = isDeepStrictEqual(result, reference);
    const row = {
      workers,
      poolStartSeconds: poolSeconds,
      sweepSeconds,
      fitSeconds,
      neighboursSeconds,
      identicalToFirst: identical,
      chosenK: sweep.chosenK,
      fitIterations: fit.iterations,
    };
    rows.push(row);
    log(
      `workers ${workers}: pool start ${poolSeconds.toFixed(2)} s; k sweep ${sweepSeconds.toFixed(2)} s ` +
        `(k = ${sweep.chosenK}); k-means k = ${k} x ${restarts} restarts ${fitSeconds.toFixed(2)} s ` +
        `(${fit.iterations} iterations in the winner); neighbours ${neighboursSeconds.toFixed(2)} s; ` +
        `identical to workers ${workerCounts[0]}: ${identical}`,
    );
  }
  const peakRssMiB = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  if (json) process.stdout.write(`${JSON.stringify({ rows, peakRssMiB })}\n`);
  else log(`peak RSS ${peakRssMiB.toFixed(0)} MiB`);
  if (rows.some((r) => r.identicalToFirst === false)) process.exitCode = 1;
});
