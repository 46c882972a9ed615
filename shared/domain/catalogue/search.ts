/**
 * Title search over a model version's catalogue, in memory: each movie's names are reduced to keys once
 * (titles.ts), and a query is compared with every key. Ranking: exact name first, then names that start with
 * the query, then names holding every query word as a word prefix; within each, more favourites first, then
 * more ratings, then the smaller movieId. Cost: one pass over the catalogue per query (about 1 ms for 10k
 * titles), no storage reads once the catalogue is loaded.
 */
import { parseQuery, parseTitle, titleKey } from "./titles.js";

/** How a movie matched a query. */
export type MatchKind = "exact" | "prefix" | "words";

/** What the index needs to know of each movie. */
export interface Searchable {
  readonly movieId: number;
  readonly title: string;
  readonly genres: readonly string[];
  readonly favouriteCount: number;
  readonly ratingCount: number;
}

/** A catalogue prepared for searching. */
export interface TitleIndex<T extends Searchable> {
  readonly movies: readonly T[];
  /** keys[i]: the keys of movies[i]'s names (main name first), and their words. */
  readonly keys: readonly (readonly { readonly key: string; readonly words: readonly string[] }[])[];
  readonly years: readonly (number | null)[];
  /** Indexes of movies by popularity (favourites, ratings, then movieId). */
  readonly byPopularity: readonly number[];
}

/** One search result. */
export interface SearchHit<T> {
  readonly movie: T;
  /** null when the search had no text (the catalogue by popularity). */
  readonly match: MatchKind | null;
}

const RANK: Record<MatchKind, number> = { exact: 3, prefix: 2, words: 1 };

function popularity(a: Searchable, b: Searchable): number {
  return b.favouriteCount - a.favouriteCount || b.ratingCount - a.ratingCount || a.movieId - b.movieId;
}

/** Builds the index (once per catalogue). */
export function createTitleIndex<T extends Searchable>(movies: readonly T[]): TitleIndex<T> {
  const keys = movies.map((movie) => {
    const parts = parseTitle(movie.title);
    const names = [parts.name, ...parts.alternatives].map(titleKey).filter((key) => key.length > 0);
    return [...new Set(names)].map((key) => ({ key, words: key.split(" ") }));
  });
  const years = movies.map((movie) => parseTitle(movie.title).year);
  const byPopularity = movies.map((_, i) => i).sort((a, b) => popularity(movies[a]!, movies[b]!));
  return { movies, keys, years, byPopularity };
}

function matchOf(
  names: readonly { readonly key: string; readonly words: readonly string[] }[],
  key: string,
  words: readonly string[],
): MatchKind | null {
  let best: MatchKind | null = null;
  for (const name of names) {
    let kind: MatchKind | null = null;
    if (name.key === key) kind = "exact";
    else if (name.key.startsWith(key)) kind = "prefix";
    else if (words.every((word) => name.words.some((w) => w.startsWith(word)))) kind = "words";
    if (kind && (best === null || RANK[kind] > RANK[best])) best = kind;
  }
  return best;
}

/**
 * Searches the index: every movie whose name matches `query` (all movies when it is empty or absent) and that
 * `accept` takes, ranked as the module comment says. Returns the page [offset, offset + limit) and the total.
 */
export function searchTitles<T extends Searchable>(
  index: TitleIndex<T>,
  request: {
    readonly query?: string | undefined;
    readonly accept?: (movie: T) => boolean;
    readonly limit: number;
    readonly offset: number;
  },
): { hits: SearchHit<T>[]; total: number } {
  const accept = request.accept ?? (() => true);
  const parsed = request.query === undefined ? { key: "", year: null } : parseQuery(request.query);
  if (parsed.key === "" && parsed.year === null) {
    const all = index.byPopularity.filter((i) => accept(index.movies[i]!));
    return {
      hits: all
        .slice(request.offset, request.offset + request.limit)
        .map((i) => ({ movie: index.movies[i]!, match: null })),
      total: all.length,
    };
  }
  let found = matches(index, parsed.key, parsed.year, accept);
  if (found.length === 0 && parsed.year !== null && request.query !== undefined) {
    // A number at the end may be part of the name ("Blade Runner 2049", "Red Winter 2102"), not a year.
    found = matches(index, parseQuery(request.query, { year: false }).key, null, accept);
  }
  return {
    hits: found
      .slice(request.offset, request.offset + request.limit)
      .map(({ i, kind }) => ({ movie: index.movies[i]!, match: kind })),
    total: found.length,
  };
}

/** The movies whose names match `key` (and `year` when given), best kind first, popularity order within one. */
function matches<T extends Searchable>(
  index: TitleIndex<T>,
  key: string,
  year: number | null,
  accept: (movie: T) => boolean,
): { i: number; kind: MatchKind }[] {
  const words = key.split(" ").filter((w) => w.length > 0);
  const found: { i: number; kind: MatchKind }[] = [];
  for (const i of index.byPopularity) {
    if (year !== null && index.years[i] !== year) continue;
    const kind = key === "" ? "exact" : matchOf(index.keys[i]!, key, words);
    if (kind && accept(index.movies[i]!)) found.push({ i, kind });
  }
  // byPopularity order is kept within a kind: a stable sort by kind alone.
  return found.sort((a, b) => RANK[b.kind] - RANK[a.kind]);
}
