/**
 * Streaming readers: feed a ratings or movies CSV to the pure parsers chunk by chunk, from any async
 * iterable of bytes (a Node file stream, an S3 object body), never holding the file as one string.
 */
import { createReadStream, statSync } from "node:fs";
import {
  createMoviesParser,
  type MoviesParserOptions,
  type MoviesReport,
} from "../domain/input/movies-parser.js";
import type { Movie, ParseReport, RatingsTable } from "../domain/input/ratings.js";
import { createRatingsParser, type RatingsParserOptions } from "../domain/input/ratings-parser.js";

/** Options of {@link readRatings}: the parser's, plus a progress callback. */
export interface ReadRatingsOptions extends RatingsParserOptions {
  /** Called after each chunk with the data rows read so far (good and bad). */
  readonly onProgress?: (rowsRead: number) => void;
}

/** Reads bytes chunk by chunk, yielding to the caller's stream; throws RatingsFormatError on a bad file. */
export async function readRatings(
  source: AsyncIterable<Uint8Array>,
  options: ReadRatingsOptions = {},
): Promise<{ table: RatingsTable; report: ParseReport }> {
  const parser = createRatingsParser(options);
  for await (const chunk of source) {
    parser.push(chunk);
    options.onProgress?.(parser.rowsRead);
  }
  return parser.finish();
}

/** Reads a ratings CSV file with 1 MiB reads, sizing the arrays from the file's size. */
export function readRatingsFile(
  file: string,
  options: ReadRatingsOptions = {},
): Promise<{ table: RatingsTable; report: ParseReport }> {
  return readRatings(createReadStream(file, { highWaterMark: 1 << 20 }), {
    expectedBytes: statSync(file).size,
    ...options,
  });
}

/** Reads movies.csv bytes chunk by chunk; throws RatingsFormatError on a bad file. */
export async function readMovies(
  source: AsyncIterable<Uint8Array>,
  options: MoviesParserOptions = {},
): Promise<{ movies: Movie[]; report: MoviesReport }> {
  const parser = createMoviesParser(options);
  for await (const chunk of source) parser.push(chunk);
  return parser.finish();
}

/** Reads a movies CSV file with 1 MiB reads. */
export function readMoviesFile(
  file: string,
  options: MoviesParserOptions = {},
): Promise<{ movies: Movie[]; report: MoviesReport }> {
  return readMovies(createReadStream(file, { highWaterMark: 1 << 20 }), options);
}
