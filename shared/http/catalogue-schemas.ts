/**
 * Request schemas of the catalogue routes (search, movie page, similar movies), shared by their handlers and
 * the OpenAPI document.
 */
import * as z from "zod/mini";
import { limitParam, positiveId } from "./request-schemas.js";

/** `genre`: one or more genres, comma-separated (any of them); checked against the live model's genres. */
export const genreParam = z.optional(
  z.string().check(z.trim(), z.minLength(1, "must not be empty"), z.maxLength(512, "is too long")),
);

/** GET /movies query. */
export const searchMoviesQuery = z.object({
  search: z.optional(z.string().check(z.trim(), z.maxLength(200, "is too long"))),
  genre: genreParam,
  limit: limitParam,
  cursor: z.optional(z.string().check(z.maxLength(64, "is too long"))),
});

/** GET /movies/{movieId} path. */
export const moviePath = z.object({ movieId: positiveId });

/** GET /movies/{movieId}/similar query: `userId` leaves out what that user has seen. */
export const similarMoviesQuery = z.object({
  limit: limitParam,
  userId: z.optional(positiveId),
});
