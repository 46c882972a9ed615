/**
 * Names shared by the runtime code and the CDK app (infra may import this file and env-names.ts only), so
 * the table the stack creates and the table the adapters query cannot drift apart.
 */
export const TABLE_SCHEMA = {
  partitionKey: "pk",
  sortKey: "sk",
  /**
   * GSI that reads a cluster's movies as top-N by favourite count (Number sort key). Also lists a version's
   * user items (sort key = user id) so superseded versions can be deleted without a Scan. Only title,
   * genres and `g` (the movie's global count at training) are projected besides the keys (the count IS the
   * sort key).
   */
  countIndex: {
    name: "byCount",
    partitionKey: "gsi1pk",
    sortKey: "gsi1sk",
    projection: "INCLUDE",
    nonKeyAttributes: ["title", "genres", "g"],
  },
  /** Epoch-seconds attribute DynamoDB TTL expires items by (superseded model versions). */
  ttlAttribute: "expiresAt",
} as const;

/** The Lambda functions, by folder under functions/. One name per route action. */
export const FUNCTION_NAMES = [
  "get-recommendations",
  "record-favourite",
  "remove-favourite",
  "list-favourites",
  "get-popular-movies",
  "get-cluster",
  "get-model",
  "get-health",
  "search-movies",
  "get-movie",
  "get-similar-movies",
  "list-genres",
  "list-clusters",
  "get-model-chart",
  "get-openapi",
  "recommend-from-picks",
  "train-model",
] as const;

/** The HTTP API: each route and the function (folder under functions/) that serves it. */
export const ROUTES = [
  { method: "GET", path: "/users/{userId}/recommendations", functionName: "get-recommendations" },
  { method: "POST", path: "/users/{userId}/favourites", functionName: "record-favourite" },
  { method: "DELETE", path: "/users/{userId}/favourites/{movieId}", functionName: "remove-favourite" },
  { method: "GET", path: "/users/{userId}/favourites", functionName: "list-favourites" },
  { method: "GET", path: "/movies/popular", functionName: "get-popular-movies" },
  { method: "GET", path: "/clusters/{clusterId}", functionName: "get-cluster" },
  { method: "GET", path: "/model", functionName: "get-model" },
  { method: "GET", path: "/health", functionName: "get-health" },
  // Literal paths before the {movieId} ones: the local server takes the first route that matches.
  { method: "GET", path: "/movies", functionName: "search-movies" },
  { method: "GET", path: "/movies/{movieId}", functionName: "get-movie" },
  { method: "GET", path: "/movies/{movieId}/similar", functionName: "get-similar-movies" },
  { method: "GET", path: "/genres", functionName: "list-genres" },
  { method: "GET", path: "/clusters", functionName: "list-clusters" },
  { method: "GET", path: "/model/k-selection.svg", functionName: "get-model-chart" },
  { method: "GET", path: "/openapi.json", functionName: "get-openapi" },
  { method: "POST", path: "/recommendations", functionName: "recommend-from-picks" },
] as const satisfies readonly {
  method: "GET" | "POST" | "DELETE";
  path: string;
  functionName: (typeof FUNCTION_NAMES)[number];
}[];

/**
 * Where the optional links.csv (MovieLens `movieId,imdbId,tmdbId`) is read from: beside the movies object,
 * so no setting is needed (`data/movies.csv` -> `data/links.csv`). The stack grants the training function
 * exactly this key.
 */
export function linksKeyFor(moviesKey: string): string {
  const slash = moviesKey.lastIndexOf("/");
  return `${moviesKey.slice(0, slash + 1)}links.csv`;
}
