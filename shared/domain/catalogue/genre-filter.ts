/**
 * The `genre` filter of the API: one or more genres, comma-separated (`genre=Comedy,Drama`, or the parameter
 * repeated, which API Gateway joins with commas), matched case-insensitively; a movie passes when it has ANY
 * of them. A genre the live model does not have is a ValidationError that names the valid ones.
 */
import { ValidationError } from "../errors.js";

/** A parsed filter: the canonical genre names asked for. */
export interface GenreFilter {
  readonly genres: readonly string[];
  /** True when the movie has at least one of the genres. */
  accepts(movieGenres: readonly string[]): boolean;
}

/**
 * Parses `genre` against the live model's genres (`known`; null: not checked, the names are taken as given);
 * undefined when no filter was given.
 */
export function parseGenreFilter(
  text: string | undefined,
  known: readonly string[] | null,
): GenreFilter | undefined {
  if (text === undefined) return undefined;
  const asked = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (asked.length === 0) throw new ValidationError("genre", "genre must name at least one genre");
  const byLower = new Map((known ?? asked).map((genre) => [genre.toLowerCase(), genre]));
  const unknown = asked.filter((part) => !byLower.has(part.toLowerCase()));
  if (unknown.length > 0) {
    throw new ValidationError(
      "genre",
      `genre ${unknown.map((g) => JSON.stringify(g)).join(", ")} is not a genre of the live model; valid genres: ${[...byLower.values()].sort().join(", ")}`,
    );
  }
  const genres = [...new Set(asked.map((part) => byLower.get(part.toLowerCase())!))];
  const wanted = new Set(genres.map((genre) => genre.toLowerCase()));
  return { genres, accepts: (movieGenres) => movieGenres.some((genre) => wanted.has(genre.toLowerCase())) };
}
