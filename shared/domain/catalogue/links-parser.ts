/**
 * Parser of MovieLens links.csv (`movieId,imdbId,tmdbId`): the IMDb and TMDb ids of each movie. The file is
 * optional and small (one line per movie); ids are digits, so no quoting is needed. IMDb ids keep their
 * leading zeros ("0114709" is tt0114709); an empty tmdbId means the movie has none.
 */
import { RatingsFormatError } from "../errors.js";

/** A movie's ids on other sites. */
export interface MovieLinks {
  readonly movieId: number;
  /** IMDb id with its "tt" prefix, e.g. "tt0114709". */
  readonly imdbId: string | null;
  readonly tmdbId: number | null;
}

/** Parses links.csv; rows that are not three id fields are skipped and counted. */
export function parseLinks(csv: string): { links: MovieLinks[]; badRows: number } {
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = (lines[0] ?? "").trim().toLowerCase();
  if (header !== "movieid,imdbid,tmdbid") {
    throw new RatingsFormatError(
      `links file header must be movieId,imdbId,tmdbId; got ${JSON.stringify(header)}`,
    );
  }
  const links: MovieLinks[] = [];
  let badRows = 0;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === "") continue;
    const match = /^([1-9]\d{0,9}),(\d{1,10})?,(\d{1,10})?$/.exec(line);
    if (!match) {
      badRows++;
      continue;
    }
    links.push({
      movieId: Number(match[1]),
      imdbId: match[2] === undefined ? null : `tt${match[2]}`,
      tmdbId: match[3] === undefined ? null : Number(match[3]),
    });
  }
  return { links, badRows };
}

/** The page of a movie on IMDb. */
export function imdbUrl(imdbId: string): string {
  return `https://www.imdb.com/title/${imdbId}/`;
}

/** The page of a movie on TMDb. */
export function tmdbUrl(tmdbId: number): string {
  return `https://www.themoviedb.org/movie/${tmdbId}`;
}
