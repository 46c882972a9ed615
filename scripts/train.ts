/**
 * `npm run train -- --ratings <file> [--movies <file>] [--k auto|N] [--k-range 2..30] [--seed N]
 * [--geometry cosine|euclidean] [--min-cluster-size N] [--favourite-threshold X] [--max-bad-share X]
 * --out model.json`: streams the ratings, trains taste clusters, writes the model as JSON (shape in
 * shared/domain/clustering/model-json.ts). Progress goes to stderr; the summary to stdout.
 */
import { statSync, writeFileSync } from "node:fs";
import type { TrainedModel, TrainingProgress } from "../shared/domain/clustering/model.js";
import { modelToJson } from "../shared/domain/clustering/model-json.js";
import { trainModel } from "../shared/domain/clustering/train.js";
import type { Movie, ParseReport } from "../shared/domain/input/ratings.js";
import { TRAINING_DEFAULTS } from "../shared/domain/settings.js";
import { readMoviesFile, readRatingsFile } from "../shared/io/read-ratings.js";
import { CliArgs, runCli } from "./cli-args.js";
import { checkInputFile, checkOutputFile } from "./cli-files.js";

const USAGE = `
Usage: npm run train -- --ratings <file> --out <model.json> [options]

  --ratings <file>            ratings CSV (userId,movieId,rating[,timestamp]) or favourites CSV (userId,movieId)
  --movies <file>             movies.csv, to show titles in the summary
  --k auto|N                  number of clusters, or auto to choose it over --k-range (default ${TRAINING_DEFAULTS.k})
  --k-range A..B              k tried when --k is auto (default ${TRAINING_DEFAULTS.kRange[0]}..${TRAINING_DEFAULTS.kRange[1]})
  --seed N                    random seed (default ${TRAINING_DEFAULTS.seed})
  --geometry cosine|euclidean (default ${TRAINING_DEFAULTS.geometry})
  --min-cluster-size N        smaller clusters are folded into others (default ${TRAINING_DEFAULTS.minClusterSize})
  --favourite-threshold X     a rating >= X is a favourite (default ${TRAINING_DEFAULTS.favouriteThreshold})
  --max-bad-share X           fail when more than this share of rows is malformed (default ${TRAINING_DEFAULTS.maxBadShare})
  --out <file>                where to write the model JSON
`;

const number = (n: number) => n.toLocaleString("en-GB");

/** Writes progress lines to stderr, at most one "rows read" line per second. */
function progressPrinter(): { rows(count: number): void; training(event: TrainingProgress): void } {
  let lastRowsLine = 0;
  return {
    rows(count) {
      const now = performance.now();
      if (now - lastRowsLine < 1_000) return;
      lastRowsLine = now;
      process.stderr.write(`reading ratings: ${number(count)} rows\n`);
    },
    training(event) {
      if (event.stage === "matrix") {
        process.stderr.write(
          `matrix: ${number(event.users)} users x ${number(event.movies)} movies, ${number(event.favourites)} favourites\n`,
        );
      } else if (event.stage === "k-selection") {
        const silhouette = event.silhouette === null ? "" : `, silhouette ${event.silhouette.toFixed(3)}`;
        process.stderr.write(`choosing k: k=${event.k} WCSS ${event.wcss.toFixed(1)}${silhouette}\n`);
      } else if (event.stage === "fitting") {
        process.stderr.write(`k-means: fitting k=${event.k}\n`);
      } else if (event.stage === "iteration") {
        process.stderr.write(
          `k-means restart ${event.restart + 1} iteration ${event.iteration}: inertia ${event.inertia.toFixed(3)}\n`,
        );
      } else {
        process.stderr.write(`done: ${event.k} clusters, inertia ${event.inertia.toFixed(3)}\n`);
      }
    },
  };
}

/** The closing summary: what was read, how k was chosen, the clusters, the time. */
function summary(
  model: TrainedModel,
  report: ParseReport,
  threshold: number,
  movies: readonly Movie[] | null,
  out: string,
  seconds: { read: number; train: number },
): string {
  const { stats, kSelection } = model;
  const sizes = model.clusters.map((c) => c.size).sort((a, b) => b - a);
  const lines = [
    `ratings:    ${number(report.rowsRead)} rows (${report.format} format), ${number(report.badRows)} bad, ${number(report.duplicates)} duplicates dropped`,
    `users:      ${number(stats.users)} (${number(model.userIds.length)} with favourites)`,
    `movies:     ${number(stats.movies)}${movies ? ` rated, ${number(movies.length)} in the catalogue` : ""}`,
    `favourites: ${number(stats.favourites)} (${report.format === "ratings" ? `rating >= ${threshold}` : "every row"})`,
    `k:          ${model.params.k} (rule: ${kSelection.rule}, confidence: ${kSelection.confidence}) ${kSelection.explanation}`,
    `clusters:   ${model.clusters.length} after folding clusters under ${model.params.minClusterSize} members; sizes ${sizes.join(", ")}`,
    `inertia:    ${model.inertia.toFixed(3)} after ${model.iterations} iterations (${model.params.geometry}, seed ${model.params.seed})`,
  ];
  if (movies) {
    const titles = new Map(movies.map((m) => [m.movieId, m.title]));
    const largest = [...model.clusters]
      .sort((a, b) => b.size - a.size || a.clusterId - b.clusterId)
      .slice(0, 5);
    for (const cluster of largest) {
      const top = Array.from(cluster.movieIds.subarray(0, 3), (id) => titles.get(id) ?? `movie ${id}`);
      lines.push(`  cluster ${cluster.clusterId} (${cluster.size} users) loves: ${top.join("; ")}`);
    }
  }
  lines.push(
    `time:       ${(seconds.read + seconds.train).toFixed(1)} s (reading ${seconds.read.toFixed(1)} s, training ${seconds.train.toFixed(1)} s)`,
    `model:      ${out} (${(statSync(out).size / 1e6).toFixed(2)} MB)`,
  );
  return `${lines.join("\n")}\n`;
}

function existingFile(args: CliArgs, name: string, required: boolean): string | undefined {
  const file = required ? args.required(name) : args.optional(name);
  return file === undefined ? undefined : checkInputFile(name, file);
}

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, {
    ratings: "value",
    movies: "value",
    k: "value",
    "k-range": "value",
    seed: "value",
    geometry: "value",
    "min-cluster-size": "value",
    "favourite-threshold": "value",
    "max-bad-share": "value",
    out: "value",
  });
  const ratingsFile = existingFile(args, "ratings", true)!;
  const moviesFile = existingFile(args, "movies", false);
  const out = checkOutputFile("out", args.required("out"));
  const k = args.autoOrInt("k", { default: TRAINING_DEFAULTS.k, min: 1 });
  const kRange = args.range("k-range", { default: TRAINING_DEFAULTS.kRange, min: 1 });
  const seed = args.int("seed", { default: TRAINING_DEFAULTS.seed, min: 0, max: 2 ** 31 - 1 });
  const geometry = args.choice("geometry", ["cosine", "euclidean"] as const, TRAINING_DEFAULTS.geometry);
  const minClusterSize = args.int("min-cluster-size", { default: TRAINING_DEFAULTS.minClusterSize, min: 1 });
  const threshold = args.number("favourite-threshold", {
    default: TRAINING_DEFAULTS.favouriteThreshold,
    min: 0.5,
    max: 5,
  });
  const maxBadShare = args.number("max-bad-share", {
    default: TRAINING_DEFAULTS.maxBadShare,
    min: 0,
    max: 1,
  });

  const progress = progressPrinter();
  const started = performance.now();
  const { table, report } = await readRatingsFile(ratingsFile, {
    favouriteThreshold: threshold,
    maxBadShare,
    onProgress: progress.rows,
  });
  process.stderr.write(
    `read ${number(report.rowsRead)} rows from ${ratingsFile}` +
      (report.badRows > 0 ? `; ${number(report.badRows)} malformed, skipped:\n` : "\n") +
      report.firstBadRows.map((row) => `  line ${row.line}: ${row.message}\n`).join(""),
  );
  const movies = moviesFile ? (await readMoviesFile(moviesFile)).movies : null;
  const read = (performance.now() - started) / 1000;

  const model = trainModel(table, {
    k,
    kRange,
    seed,
    geometry,
    minClusterSize,
    favouriteThreshold: threshold,
    badRows: report.badRows,
    onProgress: progress.training,
  });
  const train = (performance.now() - started) / 1000 - read;

  writeFileSync(out, JSON.stringify(modelToJson(model)));
  process.stdout.write(summary(model, report, threshold, movies, out, { read, train }));
});
