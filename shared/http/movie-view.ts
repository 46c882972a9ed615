import type { CatalogueMovie } from "../domain/catalogue/catalogue.js";

/** A catalogue movie as the API shows it in lists. */
export interface MovieView {
  readonly movieId: number;
  readonly title: string;
  readonly year: number | null;
  readonly genres: readonly string[];
  readonly ratingCount: number;
  readonly ratingMean: number | null;
  readonly favouriteCount: number;
}

/** The list fields of a catalogue movie (no links). */
export function movieView(movie: CatalogueMovie): MovieView {
  return {
    movieId: movie.movieId,
    title: movie.title,
    year: movie.year,
    genres: movie.genres,
    ratingCount: movie.ratingCount,
    ratingMean: movie.ratingMean,
    favouriteCount: movie.favouriteCount,
  };
}
