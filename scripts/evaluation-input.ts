/**
 * Reads the evaluation's input: a ratings CSV (streamed through the project's parser), or a MovieLens zip
 * holding ratings.csv (and movies.csv, whose row count is the catalogue size). fflate unzips in memory:
 * fine for ml-latest-small (1 MB); unzip larger archives to a folder first.
 */
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { ValidationError } from "../shared/domain/errors.js";
import { parseMovies } from "../shared/domain/input/movies-parser.js";
import type { Movie, RatingsTable } from "../shared/domain/input/ratings.js";
import { parseRatings } from "../shared/domain/input/ratings-parser.js";
import { readMoviesFile, readRatingsFile } from "../shared/io/read-ratings.js";

/** The ratings, and the catalogue's movies when a movies file was found. */
export interface EvaluationInput {
  readonly table: RatingsTable;
  readonly catalogueSize: number | undefined;
  /** The movies file's movies (ids and genres, for the picks' genre match); empty without one. */
  readonly movies: readonly Movie[];
}

function entry(files: Record<string, Uint8Array>, name: string): Uint8Array | undefined {
  const key = Object.keys(files).find((path) => path === name || path.endsWith(`/${name}`));
  return key === undefined ? undefined : files[key];
}

/** Reads `ratings` (.csv or .zip) and, when given, `movies` (.csv); a zip's own movies.csv counts too. */
export async function readEvaluationInput(ratings: string, movies?: string): Promise<EvaluationInput> {
  let table: RatingsTable;
  let movieList: Movie[] = [];
  if (ratings.endsWith(".zip")) {
    const files = unzipSync(readFileSync(ratings), {
      filter: (file) => file.name.endsWith("ratings.csv") || file.name.endsWith("movies.csv"),
    });
    const ratingsCsv = entry(files, "ratings.csv");
    if (!ratingsCsv) throw new ValidationError("--ratings", `${ratings} holds no ratings.csv`);
    table = parseRatings(ratingsCsv).table;
    const moviesCsv = entry(files, "movies.csv");
    if (moviesCsv) movieList = parseMovies(moviesCsv).movies;
  } else {
    table = (await readRatingsFile(ratings)).table;
  }
  if (movies !== undefined) movieList = (await readMoviesFile(movies)).movies;
  return { table, catalogueSize: movieList.length > 0 ? movieList.length : undefined, movies: movieList };
}
