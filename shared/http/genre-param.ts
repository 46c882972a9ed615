import { type GenreFilter, parseGenreFilter } from "../domain/catalogue/genre-filter.js";
import type { CatalogueReader } from "../domain/ports.js";

/**
 * The `genre` query parameter as a filter, checked against the live model's genres (read from the catalogue
 * only when a genre is given); undefined when none is given.
 */
export async function genreFilterOf(
  genre: string | undefined,
  catalogue: CatalogueReader | undefined,
): Promise<GenreFilter | undefined> {
  if (genre === undefined) return undefined;
  const known = catalogue ? (await catalogue.catalogue()).genres.map((g) => g.genre) : null;
  return parseGenreFilter(genre, known);
}
