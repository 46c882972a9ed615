/**
 * `npm run generate -- [--users U] [--movies M] [--ratings N] [--seed S] [--groups G] --out <dir>`: writes
 * ratings.csv, movies.csv and planted-groups.csv of a seeded synthetic MovieLens-style dataset.
 */
import { closeSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { ValidationError } from "../shared/domain/errors.js";
import {
  DEFAULT_SYNTHETIC_SPEC,
  planSyntheticDataset,
  type SyntheticPlan,
  writePlantedGroupsCsv,
  writeSyntheticMoviesCsv,
  writeSyntheticRatingsCsv,
} from "../shared/domain/evaluation/synthetic-dataset.js";
import type { ByteSink } from "../shared/domain/input/csv-writer.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npm run generate -- --out <dir> [--users U] [--movies M] [--ratings N] [--seed S] [--groups G]

Writes <dir>/ratings.csv (userId,movieId,rating,timestamp), <dir>/movies.csv and <dir>/planted-groups.csv
(userId,group). Deterministic by seed. Defaults: ${DEFAULT_SYNTHETIC_SPEC.users} users, ${DEFAULT_SYNTHETIC_SPEC.movies} movies, ${DEFAULT_SYNTHETIC_SPEC.ratings} ratings, seed ${DEFAULT_SYNTHETIC_SPEC.seed}, ${DEFAULT_SYNTHETIC_SPEC.groups} groups.
MovieLens 25M's shape: --users 162541 --movies 59047 --ratings 25000095
`;

/** Writes through a file descriptor synchronously: the sink's bytes are reused after it returns. */
function writeFile(file: string, write: (sink: ByteSink) => void): number {
  const fd = openSync(file, "w");
  try {
    write((bytes) => {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    });
  } finally {
    closeSync(fd);
  }
  return statSync(file).size;
}

await runCli(USAGE, (argv) => {
  const args = new CliArgs(argv, {
    users: "value",
    movies: "value",
    ratings: "value",
    seed: "value",
    groups: "value",
    out: "value",
  });
  const out = args.required("out");
  const spec = {
    users: args.int("users", { default: DEFAULT_SYNTHETIC_SPEC.users, min: 1 }),
    movies: args.int("movies", { default: DEFAULT_SYNTHETIC_SPEC.movies, min: 1 }),
    ratings: args.int("ratings", { default: DEFAULT_SYNTHETIC_SPEC.ratings, min: 1 }),
    seed: args.int("seed", { default: DEFAULT_SYNTHETIC_SPEC.seed, min: 0, max: 2 ** 31 - 1 }),
    groups: args.int("groups", { default: DEFAULT_SYNTHETIC_SPEC.groups, min: 1 }),
  };
  const started = performance.now();
  let plan: SyntheticPlan;
  try {
    plan = planSyntheticDataset(spec);
  } catch (error) {
    // The spec's fields are the flags' names: say "--ratings must be ...".
    if (error instanceof ValidationError) throw new ValidationError(`--${error.field}`, `--${error.message}`);
    throw error;
  }
  mkdirSync(out, { recursive: true });
  const ratingsFile = path.join(out, "ratings.csv");
  const ratingsBytes = writeFile(ratingsFile, (sink) => writeSyntheticRatingsCsv(plan, sink));
  const moviesFile = path.join(out, "movies.csv");
  writeFile(moviesFile, (sink) => writeSyntheticMoviesCsv(plan, sink));
  const groupsFile = path.join(out, "planted-groups.csv");
  writeFile(groupsFile, (sink) => writePlantedGroupsCsv(plan, sink));
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `wrote ${spec.ratings} ratings by ${spec.users} users of ${spec.movies} movies in ${spec.groups} planted groups ` +
      `(seed ${spec.seed}) in ${seconds.toFixed(1)} s:\n` +
      `  ${ratingsFile} (${(ratingsBytes / 1e6).toFixed(1)} MB)\n  ${moviesFile}\n  ${groupsFile}\n`,
  );
});
