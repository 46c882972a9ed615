/** Catalogue entries (read side): one movie's title and genres, or many in BatchGetItem calls. */
import type { MovieSummary } from "../domain/ports.js";
import { batchGetAll } from "./dynamo-batch.js";
import { getItem, type TableRef } from "./dynamo-client.js";
import { readLS, readS, S } from "./dynamo-codec.js";
import { movieIdOfMoviePk, movieKey } from "./dynamo-keys.js";

/** Reads a movie's catalogue item; null when the movie is unknown. */
export async function readMovie(table: TableRef, movieId: number): Promise<MovieSummary | null> {
  const item = await getItem(table, movieKey(movieId));
  return item ? { movieId, title: readS(item, "title"), genres: readLS(item, "genres") } : null;
}

/** Where {@link readMovies} may remember catalogue entries between requests (they never change). */
export interface MovieMemory {
  /** A remembered entry, or undefined. */
  movie(movieId: number): MovieSummary | undefined;
  /** Remembers an entry. */
  setMovie(movie: MovieSummary): void;
}

/**
 * Catalogue entries of the given movies, from `memory` or BatchGetItem calls; a movie the catalogue lacks
 * gets an empty title and no genres.
 */
export async function readMovies(
  table: TableRef,
  movieIds: readonly number[],
  memory?: MovieMemory,
): Promise<Map<number, MovieSummary>> {
  const out = new Map<number, MovieSummary>();
  const unknown: number[] = [];
  for (const movieId of movieIds) {
    const remembered = memory?.movie(movieId);
    if (remembered) out.set(movieId, remembered);
    else unknown.push(movieId);
  }
  if (unknown.length === 0) return out;
  const items = await batchGetAll(
    table.client,
    table.tableName,
    unknown.map((id) => {
      const key = movieKey(id);
      return { pk: S(key.pk), sk: S(key.sk) };
    }),
    { projection: "pk, title, genres", policy: table.retry },
  );
  for (const item of items) {
    const movie = {
      movieId: movieIdOfMoviePk(readS(item, "pk")),
      title: readS(item, "title"),
      genres: readLS(item, "genres"),
    };
    memory?.setMovie(movie);
    out.set(movie.movieId, movie);
  }
  for (const movieId of unknown) if (!out.has(movieId)) out.set(movieId, { movieId, title: "", genres: [] });
  return out;
}
