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
] as const satisfies readonly {
  method: "GET" | "POST" | "DELETE";
  path: string;
  functionName: (typeof FUNCTION_NAMES)[number];
}[];
