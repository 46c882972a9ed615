/**
 * Names shared by the runtime code and the CDK app (infra may import this file and env-names.ts only), so
 * the table the stack creates and the table the adapters query cannot drift apart.
 */
export const TABLE_SCHEMA = {
  partitionKey: "pk",
  sortKey: "sk",
  /**
   * GSI that reads a cluster's movies as top-N by favourite count (Number sort key). Also lists a version's
   * user items (sort key = user id) so superseded versions can be deleted without a Scan. Only title and
   * genres are projected besides the keys (the count IS the sort key).
   */
  countIndex: {
    name: "byCount",
    partitionKey: "gsi1pk",
    sortKey: "gsi1sk",
    projection: "INCLUDE",
    nonKeyAttributes: ["title", "genres"],
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
  "dismiss-movie",
  "undo-dismissal",
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
  "get-me",
  "train-model",
  "admin-model",
] as const;

/**
 * The HTTP API: each route, the function (folder under functions/) that serves it, and whether it is
 * `personal`: it reads or changes one person's data, so it needs a valid access token of that person. That one
 * flag puts the JWT authorizer on the route (infra/constructs/service-api.ts), makes the local server verify
 * the token (local/http-server.ts) and makes the handler wrapper check that a `{userId}` in the path is the
 * caller's own (shared/http/api-handler.ts).
 */
export const ROUTES = [
  {
    method: "GET",
    path: "/users/{userId}/recommendations",
    functionName: "get-recommendations",
    personal: true,
  },
  { method: "POST", path: "/users/{userId}/favourites", functionName: "record-favourite", personal: true },
  {
    method: "DELETE",
    path: "/users/{userId}/favourites/{movieId}",
    functionName: "remove-favourite",
    personal: true,
  },
  { method: "GET", path: "/users/{userId}/favourites", functionName: "list-favourites", personal: true },
  { method: "POST", path: "/users/{userId}/dismissed", functionName: "dismiss-movie", personal: true },
  {
    method: "DELETE",
    path: "/users/{userId}/dismissed/{movieId}",
    functionName: "undo-dismissal",
    personal: true,
  },
  { method: "GET", path: "/me", functionName: "get-me", personal: true },
  { method: "GET", path: "/movies/popular", functionName: "get-popular-movies", personal: false },
  { method: "GET", path: "/clusters/{clusterId}", functionName: "get-cluster", personal: false },
  { method: "GET", path: "/model", functionName: "get-model", personal: false },
  { method: "GET", path: "/health", functionName: "get-health", personal: false },
  // Literal paths before the {movieId} ones: the local server takes the first route that matches.
  { method: "GET", path: "/movies", functionName: "search-movies", personal: false },
  { method: "GET", path: "/movies/{movieId}", functionName: "get-movie", personal: false },
  { method: "GET", path: "/movies/{movieId}/similar", functionName: "get-similar-movies", personal: false },
  { method: "GET", path: "/genres", functionName: "list-genres", personal: false },
  { method: "GET", path: "/clusters", functionName: "list-clusters", personal: false },
  { method: "GET", path: "/model/k-selection.svg", functionName: "get-model-chart", personal: false },
  { method: "GET", path: "/openapi.json", functionName: "get-openapi", personal: false },
  { method: "POST", path: "/recommendations", functionName: "recommend-from-picks", personal: false },
] as const satisfies readonly ApiRoute[];

/** One route of the HTTP API (see ROUTES). */
export interface ApiRoute {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly functionName: (typeof FUNCTION_NAMES)[number];
  /** Needs a valid access token; a `{userId}` in the path must be the caller's own. */
  readonly personal: boolean;
}

/** The route key API Gateway puts in each event (`GET /users/{userId}/favourites`). */
export function routeKeyOf(route: Pick<ApiRoute, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}

/**
 * User ids of accounts opened through the API start above this (the first is 1,000,000,001), so they never
 * meet a user id of the ratings data (MovieLens: at most 200,948) and still fit the Int32 ids are stored as.
 */
export const ACCOUNT_ID_BASE = 1_000_000_000;

/**
 * Where the optional links.csv (MovieLens `movieId,imdbId,tmdbId`) is read from: beside the movies object,
 * so no setting is needed (`data/movies.csv` -> `data/links.csv`). The stack grants the training function
 * exactly this key.
 */
export function linksKeyFor(moviesKey: string): string {
  const slash = moviesKey.lastIndexOf("/");
  return `${moviesKey.slice(0, slash + 1)}links.csv`;
}

/**
 * The API functions' CloudWatch metrics (EMF, written by shared/http/powertools-telemetry.ts): namespace,
 * the `service` and `route` dimensions every record carries (`route` is the function name of ROUTES), and
 * the metric names. The dashboard and the alarms in infra/ read the same names.
 */
export const API_METRICS = {
  namespace: "cinecluster",
  service: "cinecluster-api",
  routeDimension: "route",
  /** Milliseconds from the event to the response, every request (the p99 alarms watch it). */
  latency: "Latency",
  /** 1 for a 4xx answer, else 0: Sum counts them, Average is the rate. */
  clientErrors: "ClientErrors",
  /** 1 for a 5xx answer, else 0. */
  serverErrors: "ServerErrors",
  /** A favourite newly recorded (POST answered 201; a repeat's 200 is not counted). */
  favouritesRecorded: "FavouritesRecorded",
  /** A favourite removed (DELETE answered 204). */
  favouritesRemoved: "FavouritesRemoved",
  /** Recommendations answered, by the source of the list (GET /users/{userId}/recommendations). */
  recommendationSource: {
    cluster: "RecommendationsFromCluster",
    "placed-cluster": "RecommendationsFromPlacedCluster",
    popular: "RecommendationsFromPopular",
  },
} as const;

/** The training function's EMF metrics (functions/train-model/telemetry.ts): its `service` dimension. */
export const TRAINING_METRICS = { namespace: "cinecluster", service: "cinecluster-train-model" } as const;
