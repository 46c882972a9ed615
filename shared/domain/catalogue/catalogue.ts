/**
 * A model version's catalogue: every movie of the movies file with its year, genres, rating figures,
 * favourite count and links, as trained. It is what search, the movie page and the genre list read.
 */
import type { TrainedModel } from "../clustering/model.js";
import type { Movie } from "../input/ratings.js";
import type { MovieLinks } from "./links-parser.js";
import { parseTitle } from "./titles.js";

/** One movie of the catalogue. */
export interface CatalogueMovie {
  readonly movieId: number;
  /** As in the movies file: "Matrix, The (1999)". */
  readonly title: string;
  readonly year: number | null;
  readonly genres: readonly string[];
  /** Ratings of any value in the training data, and their mean (null without ratings). */
  readonly ratingCount: number;
  readonly ratingMean: number | null;
  /** People whose favourite it was in the training data. */
  readonly favouriteCount: number;
  readonly imdbId: string | null;
  readonly tmdbId: number | null;
}

/** A genre of the live model and how many catalogue movies carry it. */
export interface GenreCount {
  readonly genre: string;
  readonly movies: number;
}

/** Builds the catalogue of a version from the movies file, the trained model and links.csv (may be empty). */
export function buildCatalogue(
  movies: readonly Movie[],
  model: Pick<TrainedModel, "global" | "movieRatings">,
  links: readonly MovieLinks[],
): CatalogueMovie[] {
  const favourites = new Map<number, number>();
  model.global.movieIds.forEach((id, i) => {
    favourites.set(id, model.global.counts[i]!);
  });
  const ratings = new Map<number, number>();
  model.movieRatings.movieIds.forEach((id, i) => {
    ratings.set(id, i);
  });
  const linkOf = new Map(links.map((link) => [link.movieId, link]));
  return [...movies]
    .sort((a, b) => a.movieId - b.movieId)
    .map((movie) => {
      const r = ratings.get(movie.movieId);
      const link = linkOf.get(movie.movieId);
      return {
        movieId: movie.movieId,
        title: movie.title,
        year: parseTitle(movie.title).year,
        genres: movie.genres,
        ratingCount: r === undefined ? 0 : model.movieRatings.counts[r]!,
        ratingMean: r === undefined ? null : Math.round(model.movieRatings.means[r]! * 1000) / 1000,
        favouriteCount: favourites.get(movie.movieId) ?? 0,
        imdbId: link?.imdbId ?? null,
        tmdbId: link?.tmdbId ?? null,
      };
    });
}

/** The genres of a catalogue with their movie counts, most movies first, then by name. */
export function genreCounts(catalogue: readonly { readonly genres: readonly string[] }[]): GenreCount[] {
  const counts = new Map<string, number>();
  for (const movie of catalogue)
    for (const genre of movie.genres) counts.set(genre, (counts.get(genre) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([genre, movies]) => ({ genre, movies }));
}
