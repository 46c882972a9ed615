import path from "node:path";
import { parseArgs } from "node:util";
import { ValidationError } from "../shared/domain/errors.js";

/** Where `npm start` keeps DynamoDB Local's and s3rver's data (git-ignored). */
export const DEFAULT_DATA_DIR = path.resolve(import.meta.dirname, "..", ".local-data");

/** The port the README promises. */
export const DEFAULT_PORT = 3000;

/** Sample data of `npm start`: generated, given files, or the downloaded MovieLens ml-latest-small. */
export type DataSource =
  | {
      readonly kind: "generated";
      readonly users: number;
      readonly movies: number;
      readonly ratings: number;
      readonly seed: number;
    }
  | { readonly kind: "files"; readonly ratings: string; readonly movies: string | undefined }
  | { readonly kind: "movielens" };

/** Everything `npm start` was asked for, validated. */
export interface StartOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly reset: boolean;
  /** Keep DynamoDB Local's tables on disk under dataDir (survive a restart; writes are far slower). */
  readonly persist: boolean;
  readonly data: DataSource;
  /** Milliseconds between retraining runs; null: no retraining after the first run. */
  readonly retrainEveryMs: number | null;
  /** Passed to the training function as CINECLUSTER_K; undefined keeps its default. */
  readonly k: string | undefined;
  readonly seed: string | undefined;
  readonly help: boolean;
}

/** The usage text `npm start -- --help` prints. */
export const START_USAGE = `
Usage: npm start -- [options]

  --port <n>              port of the local API (default ${DEFAULT_PORT})
  --host <address>        address to listen on (default 127.0.0.1)
  --reset                 wipe the local DynamoDB and S3 data first (downloaded datasets are kept)
  --data-dir <dir>        where local data lives (default .local-data/)
  --persist               keep DynamoDB tables on disk too, so recorded favourites survive a restart
                          (default: in memory; DynamoDB Local's disk mode writes ~20x slower)
  --ratings <file>        train on this ratings CSV (MovieLens format) instead of generated data
  --movies <file>         titles and genres for --ratings (movieId,title,genres); a links.csv
                          beside it (movieId,imdbId,tmdbId) adds IMDb and TMDb links
  --dataset <name>        "generated" (default) or "movielens" (ml-latest-small; downloaded if missing)
  --users <n>             generated data: users (default 600); --sample-movies, --sample-ratings, --sample-seed too
  --retrain-every <time>  retrain on an interval, e.g. 30s, 10m, 1h; "off" (default) trains once at start
  --k <auto|n>            number of taste clusters (default: the training function's default, auto)
  --seed <n>              training seed
  --help                  this text
`;

/** Parses a duration like "500ms", "30s", "10m", "1h" into milliseconds; "off" is null. */
export function parseDuration(text: string, flag = "--retrain-every"): number | null {
  if (text === "off") return null;
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  const value = match ? Number(match[1]) * unit[match[2] as keyof typeof unit] : 0;
  if (!(value >= 1_000)) {
    throw new ValidationError(
      flag,
      `${flag} must be "off" or a duration of at least 1s such as 30s, 10m or 1h; got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function wholeNumber(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ValidationError(
      flag,
      `${flag} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** Reads the flags with node's parser; ValidationError("arguments") on an unknown or malformed one. */
function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        reset: { type: "boolean", default: false },
        persist: { type: "boolean", default: false },
        "data-dir": { type: "string" },
        ratings: { type: "string" },
        movies: { type: "string" },
        dataset: { type: "string", default: "generated" },
        users: { type: "string" },
        "sample-movies": { type: "string" },
        "sample-ratings": { type: "string" },
        "sample-seed": { type: "string" },
        "retrain-every": { type: "string", default: "off" },
        k: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new ValidationError("arguments", (error as Error).message, { cause: error });
  }
}

/** Parses `npm start`'s flags; throws ValidationError naming the flag that is wrong. */
export function parseStartOptions(argv: readonly string[], cwd = process.cwd()): StartOptions {
  const values = readFlags(argv);
  const port = wholeNumber("--port", values.port, DEFAULT_PORT, 1, 65_535);
  if (values.dataset !== "generated" && values.dataset !== "movielens") {
    throw new ValidationError(
      "--dataset",
      `--dataset must be generated or movielens; got ${JSON.stringify(values.dataset)}`,
    );
  }
  if (values.movies !== undefined && values.ratings === undefined) {
    throw new ValidationError("--movies", "--movies goes with --ratings <file>");
  }
  if (values.ratings !== undefined && values.dataset === "movielens") {
    throw new ValidationError("--dataset", "give either --ratings <file> or --dataset movielens, not both");
  }
  let data: DataSource;
  if (values.ratings !== undefined) {
    data = {
      kind: "files",
      ratings: path.resolve(cwd, values.ratings),
      movies: values.movies === undefined ? undefined : path.resolve(cwd, values.movies),
    };
  } else if (values.dataset === "movielens") {
    data = { kind: "movielens" };
  } else {
    const users = wholeNumber("--users", values.users, 600, 10, 1_000_000);
    data = {
      kind: "generated",
      users,
      movies: wholeNumber("--sample-movies", values["sample-movies"], 2_000, 10, 1_000_000),
      ratings: wholeNumber(
        "--sample-ratings",
        values["sample-ratings"],
        users * 100,
        users * 20,
        100_000_000,
      ),
      seed: wholeNumber("--sample-seed", values["sample-seed"], 1, 0, 2 ** 31 - 1),
    };
  }
  if (values.k !== undefined && values.k !== "auto" && !/^\d+$/.test(values.k)) {
    throw new ValidationError("--k", `--k must be auto or a whole number; got ${JSON.stringify(values.k)}`);
  }
  if (values.seed !== undefined && !/^\d+$/.test(values.seed)) {
    throw new ValidationError("--seed", `--seed must be a whole number; got ${JSON.stringify(values.seed)}`);
  }
  return {
    port,
    host: values.host,
    dataDir: values["data-dir"] === undefined ? DEFAULT_DATA_DIR : path.resolve(cwd, values["data-dir"]),
    reset: values.reset,
    persist: values.persist,
    data,
    retrainEveryMs: parseDuration(values["retrain-every"]),
    k: values.k,
    seed: values.seed,
    help: values.help,
  };
}
