/**
 * Step 1 of a training run: snapshot the API favourites, stream and parse the ratings, merge the two (the
 * API wins), and read the movies if there are any.
 */

import { linksKeyFor } from "../../shared/constants.js";
import { type MovieLinks, parseLinks } from "../../shared/domain/catalogue/links-parser.js";
import { NotFoundError } from "../../shared/domain/errors.js";
import { type ApiFavourites, mergeApiFavourites } from "../../shared/domain/input/merge-favourites.js";
import type { Movie, ParseReport, RatingsTable } from "../../shared/domain/input/ratings.js";
import type { ModelProvenance } from "../../shared/domain/ports.js";
import type { ObjectStore, ObjectStream, TrainingStore } from "../../shared/domain/training-ports.js";
import { readMovies, readRatings } from "../../shared/io/read-ratings.js";
import type { TrainingLog } from "./telemetry.js";

/** What a run trains from. */
export interface TrainingInput {
  /** The ratings file with the API favourites merged in. */
  readonly table: RatingsTable;
  readonly parse: ParseReport;
  readonly api: ApiFavourites;
  readonly movies: readonly Movie[];
  /** IMDb and TMDb ids from links.csv beside the movies object; empty without one. */
  readonly links: readonly MovieLinks[];
  /** The ratings object read (its S3 version when the bucket is versioned). */
  readonly source: ModelProvenance["source"];
}

/** Reads everything a run trains from; `onRows` is told the rows read so far. */
export async function readTrainingInput(
  io: {
    readonly objects: ObjectStore;
    readonly store: Pick<TrainingStore, "snapshotApiFavourites">;
    readonly log: TrainingLog;
  },
  settings: { readonly ratingsKey: string; readonly moviesKey: string; readonly favouriteThreshold: number },
  onRows?: (rows: number) => void,
): Promise<TrainingInput> {
  const { objects, store, log } = io;
  const api = await store.snapshotApiFavourites();
  const source = await objects.getStream(settings.ratingsKey);
  const { table: fileTable, report: parse } = await readRatings(source.body, {
    favouriteThreshold: settings.favouriteThreshold,
    ...(onRows ? { onProgress: onRows } : {}),
  });
  logParse(log, parse);
  const { table, report: merge } = mergeApiFavourites(fileTable, api);
  log.info("API favourites merged", { recorded: api.recorded.length, removed: api.removed.length, ...merge });
  const movies = await readMoviesIfPresent(objects, settings.moviesKey, log);
  const links = await readLinksIfPresent(objects, linksKeyFor(settings.moviesKey), log);
  return {
    table,
    parse,
    api,
    movies,
    links,
    source: { bucket: objects.bucket, key: settings.ratingsKey, versionId: source.versionId ?? null },
  };
}

function logParse(log: TrainingLog, report: ParseReport): void {
  log.info("ratings read", {
    format: report.format,
    rowsRead: report.rowsRead,
    badRows: report.badRows,
    duplicates: report.duplicates,
  });
  if (report.badRows > 0)
    log.warn("bad rating rows skipped", { badRows: report.badRows, first: report.firstBadRows });
}

/** IMDb and TMDb ids are optional: without links.csv the movie pages have no links. */
async function readLinksIfPresent(
  objects: ObjectStore,
  key: string,
  log: TrainingLog,
): Promise<MovieLinks[]> {
  let stream: ObjectStream;
  try {
    stream = await objects.getStream(key);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    log.info("no links object: movie pages will have no IMDb or TMDb links", { linksKey: key });
    return [];
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream.body) chunks.push(chunk);
  const { links, badRows } = parseLinks(Buffer.concat(chunks).toString("utf8"));
  log.info("links read", { links: links.length, badRows });
  return links;
}

/** Titles and genres are optional: a missing movies object is logged, a malformed one fails the run. */
async function readMoviesIfPresent(objects: ObjectStore, key: string, log: TrainingLog): Promise<Movie[]> {
  let stream: ObjectStream;
  try {
    stream = await objects.getStream(key);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    log.warn("no movies object: titles and genres will be missing", { moviesKey: key });
    return [];
  }
  const { movies, report } = await readMovies(stream.body);
  log.info("movies read", { movies: movies.length, badRows: report.badRows });
  return movies;
}
