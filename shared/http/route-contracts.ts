/**
 * Every API route's contract: the zod schemas that validate its path, query and body (the handlers parse with
 * these very objects) and the shape of its 200/201 answer. The OpenAPI document (openapi.ts) is generated
 * from this table, and a test checks it lists exactly the routes of shared/constants.ts ROUTES.
 */
import * as z from "zod/mini";
import type { ROUTES } from "../constants.js";
import { genreParam, moviePath, searchMoviesQuery, similarMoviesQuery } from "./catalogue-schemas.js";
import { clusterId, limitParam, offsetParam, positiveId, positiveIdNumber } from "./request-schemas.js";

/** Path of GET/POST/DELETE /users/{userId}/... */
export const userPath = z.object({ userId: positiveId });
/** Path of DELETE /users/{userId}/favourites/{movieId} and /users/{userId}/dismissed/{movieId}. */
export const userMoviePath = z.object({ userId: positiveId, movieId: positiveId });
/** Body of POST /users/{userId}/favourites and /users/{userId}/dismissed. */
export const movieIdBody = z.object({ movieId: positiveIdNumber });
/** Body of POST /recommendations: 3 to 20 distinct movie ids someone likes, and the page. */
export const picksBody = z.object({
  movieIds: z.array(positiveIdNumber).check(
    z.minLength(3, "must list at least 3 movies"),
    z.maxLength(20, "must list at most 20 movies"),
    z.refine((ids) => new Set(ids).size === ids.length, "must not repeat a movie"),
  ),
  limit: z.optional(
    z.number().check(z.refine(Number.isInteger, "must be an integer"), z.minimum(1), z.maximum(100)),
  ),
  offset: z.optional(
    z.number().check(z.refine(Number.isInteger, "must be an integer"), z.minimum(0), z.maximum(999_999)),
  ),
  genre: genreParam,
});

/** Query of GET /users/{userId}/recommendations. */
export const recommendationsQuery = z.object({ limit: limitParam, offset: offsetParam, genre: genreParam });
/** Query of GET /users/{userId}/favourites. */
export const favouritesQuery = z.object({
  limit: limitParam,
  cursor: z.optional(z.string().check(z.maxLength(200, "is too long"))),
});
/** Query of GET /movies/popular. */
export const popularQuery = z.object({ limit: limitParam, offset: offsetParam, genre: genreParam });
/** Path and query of GET /clusters/{clusterId}. */
export const clusterPath = z.object({ clusterId });
export const clusterQuery = z.object({ limit: limitParam });

const str = z.string();
const num = z.number();
const genres = z.array(str);
const movieSummary = z.object({ movieId: num, title: str, genres });
const movieListItem = z.object({
  movieId: num,
  title: str,
  year: z.nullable(num),
  genres,
  ratingCount: num,
  ratingMean: z.nullable(num),
  favouriteCount: num,
});
const popularItem = z.object({
  movieId: num,
  title: str,
  genres,
  weightedRating: z.nullable(num),
  ratingCount: num,
  ratingMean: z.nullable(num),
  favouriteCount: num,
});
const recommendationItem = z.object({
  movieId: num,
  title: str,
  genres,
  score: num,
  reason: str,
  similarTo: z.optional(z.object({ movieId: num, title: str })),
});
const clusterSummary = z.object({
  clusterId: num,
  size: num,
  label: str,
  distinctiveGenres: z.array(
    z.object({ genre: str, favourites: num, share: num, overallShare: num, lift: num }),
  ),
  distinctiveMovies: z.array(
    z.object({ movieId: num, title: str, likedBy: num, share: num, overallShare: num, lift: num }),
  ),
});

/** One route's contract. */
export interface RouteContract {
  readonly summary: string;
  readonly path?: z.ZodMiniObject;
  readonly query?: z.ZodMiniObject;
  readonly body?: z.ZodMiniObject;
  /** The success status and its body (none for 204). */
  readonly success: {
    readonly status: 200 | 201 | 204;
    readonly body?: z.ZodMiniType;
    readonly type?: string;
  };
  /** Error statuses the route can answer besides 429/500. */
  readonly errors: readonly (400 | 404 | 409 | 413)[];
}

type KeyOf<R> = R extends { readonly method: infer M extends string; readonly path: infer P extends string }
  ? `${M} ${P}`
  : never;
/** "METHOD /path" of a route in ROUTES. */
export type RouteKey = KeyOf<(typeof ROUTES)[number]>;

/** Every route's contract, by "METHOD /path" as in ROUTES. */
export const ROUTE_CONTRACTS: Readonly<Record<RouteKey, RouteContract>> = {
  "GET /users/{userId}/recommendations": {
    summary:
      "Recommendations for a user: never a movie they rated, recorded or dismissed; `genre` takes several (any of them)",
    path: userPath,
    query: recommendationsQuery,
    success: {
      status: 200,
      body: z.object({
        userId: num,
        modelVersion: str,
        source: z.enum(["cluster", "placed-cluster", "popular"]),
        clusterId: z.optional(z.nullable(num)),
        items: z.array(recommendationItem),
      }),
    },
    errors: [400, 404],
  },
  "POST /users/{userId}/favourites": {
    summary: "Record a favourite (exactly once: 201 new, 200 already one)",
    path: userPath,
    body: movieIdBody,
    success: { status: 201, body: z.object({ userId: num, movieId: num, created: z.boolean() }) },
    errors: [400, 404, 409, 413],
  },
  "DELETE /users/{userId}/favourites/{movieId}": {
    summary: "Remove a favourite; it stays removed across retrains",
    path: userMoviePath,
    success: { status: 204 },
    errors: [400, 404],
  },
  "POST /users/{userId}/dismissed": {
    summary:
      "Dismiss a movie ('seen it / not interested'): never recommended from the next request, never a favourite (201 new, 200 already)",
    path: userPath,
    body: movieIdBody,
    success: { status: 201, body: z.object({ userId: num, movieId: num, created: z.boolean() }) },
    errors: [400, 404, 413],
  },
  "DELETE /users/{userId}/dismissed/{movieId}": {
    summary: "Undo a dismissal: the movie may be recommended again (it does not become a favourite again)",
    path: userMoviePath,
    success: { status: 204 },
    errors: [400, 404],
  },
  "GET /users/{userId}/favourites": {
    summary: "A page of the user's favourites by movie id",
    path: userPath,
    query: favouritesQuery,
    success: {
      status: 200,
      body: z.object({ userId: num, items: z.array(movieSummary), nextCursor: z.nullable(str) }),
    },
    errors: [400],
  },
  "GET /movies/popular": {
    summary: "The popular list (IMDb weighted rating; by favourites when trained without ratings)",
    query: popularQuery,
    success: { status: 200, body: z.object({ modelVersion: str, items: z.array(popularItem) }) },
    errors: [400, 404],
  },
  "GET /clusters/{clusterId}": {
    summary: "One taste group: size, top movies by live count, top genres",
    path: clusterPath,
    query: clusterQuery,
    success: {
      status: 200,
      body: z.object({
        modelVersion: str,
        clusterId: num,
        size: num,
        topMovies: z.array(z.object({ movieId: num, title: str, genres, likedBy: num })),
        topGenres: z.array(z.object({ genre: str, count: num })),
      }),
    },
    errors: [400, 404],
  },
  "GET /model": {
    summary:
      "The live model: k and how it was chosen, sizes, provenance, and a link to the k-selection chart",
    success: { status: 200, body: z.looseObject({ version: str, k: num, kSelectionChart: str }) },
    errors: [404],
  },
  "GET /health": {
    summary: "200 when the table answers, with the live model version (null before training)",
    success: { status: 200, body: z.object({ status: z.literal("ok"), modelVersion: z.nullable(str) }) },
    errors: [],
  },
  "GET /me": {
    summary:
      "The signed-in caller's user id (Bearer access token); a new sign-in's first call opens its account",
    success: { status: 200, body: z.object({ userId: num }) },
    errors: [],
  },
  "GET /movies": {
    summary:
      "Search titles (case, accents, 'Matrix, The' and years forgiven; exact, then prefix, then by favourites) or list by favourites",
    query: searchMoviesQuery,
    success: {
      status: 200,
      body: z.object({
        modelVersion: str,
        total: num,
        items: z.array(z.extend(movieListItem, { match: z.nullable(z.enum(["exact", "prefix", "words"])) })),
        nextCursor: z.nullable(str),
      }),
    },
    errors: [400, 404],
  },
  "GET /movies/{movieId}": {
    summary: "A movie page: figures, the taste groups that love it most, IMDb and TMDb links",
    path: moviePath,
    success: {
      status: 200,
      body: z.extend(movieListItem, {
        modelVersion: str,
        tasteGroups: z.array(
          z.object({ clusterId: num, label: str, size: num, likedBy: num, share: num, lift: num }),
        ),
        links: z.object({ imdb: z.nullable(str), tmdb: z.nullable(str) }),
      }),
    },
    errors: [400, 404],
  },
  "GET /movies/{movieId}/similar": {
    summary:
      "Movies most often liked by the people who liked this one, with the counts; `userId` leaves out their seen",
    path: moviePath,
    query: similarMoviesQuery,
    success: {
      status: 200,
      body: z.object({
        modelVersion: str,
        movieId: num,
        title: str,
        items: z.array(
          z.object({
            movieId: num,
            title: str,
            genres,
            similarity: num,
            likedByBoth: z.nullable(num),
            reason: str,
          }),
        ),
      }),
    },
    errors: [400, 404],
  },
  "GET /genres": {
    summary: "The genres of the live model with their movie counts (the valid `genre` values)",
    success: {
      status: 200,
      body: z.object({ modelVersion: str, items: z.array(z.object({ genre: str, movies: num })) }),
    },
    errors: [404],
  },
  "GET /clusters": {
    summary: "Every taste group: size, label, distinctive genres and movies by lift, with their counts",
    success: { status: 200, body: z.object({ modelVersion: str, items: z.array(clusterSummary) }) },
    errors: [404],
  },
  "GET /openapi.json": {
    summary: "This document: OpenAPI 3.1, generated from the schemas that validate requests",
    success: { status: 200, body: z.looseObject({ openapi: z.literal("3.1.0") }) },
    errors: [],
  },
  "POST /recommendations": {
    summary:
      "Recommendations from 3-20 picked movies, for anyone; nothing is stored. Picks are placed on the taste groups by closeness to their centroids",
    body: picksBody,
    success: {
      status: 200,
      body: z.object({
        modelVersion: str,
        source: z.enum(["picks", "popular"]),
        tasteGroups: z.array(z.object({ clusterId: num, label: str, size: num, weight: num })),
        items: z.array(recommendationItem),
      }),
    },
    errors: [400, 404, 413],
  },
  "GET /model/k-selection.svg": {
    summary: "The live model's k-selection chart (SVG)",
    success: { status: 200, body: z.string(), type: "image/svg+xml" },
    errors: [404],
  },
};
