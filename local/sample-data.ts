import { closeSync, createReadStream, existsSync, openSync, readSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { linksKeyFor } from "../shared/constants.js";
import { ValidationError } from "../shared/domain/errors.js";
import { generateDataset } from "../shared/domain/evaluation/synthetic-dataset.js";
import type { ObjectStore } from "../shared/domain/training-ports.js";
import { downloadMovieLens, hasMovieLens } from "./movielens-download.js";
import type { DataSource } from "./start-options.js";

/** What was uploaded, for `npm start`'s output. */
export interface UploadedData {
  readonly description: string;
  /** A user id that appears in the ratings (for the example curl commands). */
  readonly exampleUserId: number | null;
}

/** The first user id in a ratings CSV's opening bytes, found by the header's userId column. */
export function firstUserId(head: string): number | null {
  const lines = head.replace(/^\uFEFF/, "").split(/\r?\n/);
  const column = (lines[0] ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .indexOf("userid");
  if (column < 0) return null;
  for (const line of lines.slice(1, -1)) {
    const value = Number(line.split(",")[column]);
    if (Number.isSafeInteger(value) && value > 0) return value;
  }
  return null;
}

function headOf(file: string, bytes = 64 * 1024): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function requireFile(file: string, flag: string): void {
  if (!existsSync(file)) throw new ValidationError(flag, `${flag} ${file}: no such file`);
}

/**
 * Puts the sample data into the bucket under the configured keys: generated in memory, given files
 * (streamed), or MovieLens ml-latest-small (downloaded into `datasetsDir` first when missing).
 */
export async function uploadSampleData(
  objects: ObjectStore,
  keys: { readonly ratingsKey: string; readonly moviesKey: string },
  source: DataSource,
  datasetsDir: string,
  say: (line: string) => void,
): Promise<UploadedData> {
  if (source.kind === "generated") {
    const spec = { users: source.users, movies: source.movies, ratings: source.ratings, seed: source.seed };
    const dataset = generateDataset(spec);
    await objects.upload(keys.ratingsKey, Readable.from([Buffer.from(dataset.ratingsCsv)]), "text/csv");
    await objects.upload(keys.moviesKey, Readable.from([Buffer.from(dataset.moviesCsv)]), "text/csv");
    return {
      description: `generated sample data: ${spec.users} users, ${spec.movies} movies, ${spec.ratings} ratings (seed ${spec.seed})`,
      exampleUserId: firstUserId(dataset.ratingsCsv.slice(0, 64 * 1024)),
    };
  }
  let ratings: string;
  let movies: string | undefined;
  let description: string;
  if (source.kind === "files") {
    requireFile(source.ratings, "--ratings");
    if (source.movies !== undefined) requireFile(source.movies, "--movies");
    ratings = source.ratings;
    movies = source.movies;
    description = `${ratings}${movies ? ` and ${movies}` : " (no movies file: titles will be missing)"}`;
  } else {
    const dir = path.join(datasetsDir, "ml-latest-small");
    if (!hasMovieLens(dir)) {
      say("Downloading MovieLens ml-latest-small (npm run dataset:movielens) ...");
      await downloadMovieLens({ destDir: dir });
    }
    ratings = path.join(dir, "ratings.csv");
    movies = path.join(dir, "movies.csv");
    description = `MovieLens ml-latest-small from ${dir}`;
  }
  await objects.upload(keys.ratingsKey, createReadStream(ratings, { highWaterMark: 1 << 20 }), "text/csv");
  if (movies !== undefined) {
    await objects.upload(keys.moviesKey, createReadStream(movies, { highWaterMark: 1 << 20 }), "text/csv");
  } else {
    await objects.delete(keys.moviesKey);
  }
  // links.csv beside the movies file (MovieLens ships one) gives the movie pages their IMDb and TMDb links.
  const links = movies === undefined ? undefined : path.join(path.dirname(movies), "links.csv");
  if (links !== undefined && existsSync(links)) {
    await objects.upload(linksKeyFor(keys.moviesKey), createReadStream(links), "text/csv");
  } else {
    await objects.delete(linksKeyFor(keys.moviesKey));
  }
  return { description, exampleUserId: firstUserId(headOf(ratings)) };
}
