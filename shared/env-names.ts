/**
 * Names of the environment variables the functions read. `infra/` sets them and `shared/config.ts` reads
 * them, both from this one list, so the two cannot drift apart.
 */
export const ENV = {
  tableName: "CINECLUSTER_TABLE",
  bucketName: "CINECLUSTER_BUCKET",
  ratingsKey: "CINECLUSTER_RATINGS_KEY",
  moviesKey: "CINECLUSTER_MOVIES_KEY",
  k: "CINECLUSTER_K",
  seed: "CINECLUSTER_SEED",
  favouriteThreshold: "CINECLUSTER_FAVOURITE_THRESHOLD",
  minClusterSize: "CINECLUSTER_MIN_CLUSTER_SIZE",
  dynamoEndpoint: "CINECLUSTER_DYNAMODB_ENDPOINT",
  s3Endpoint: "CINECLUSTER_S3_ENDPOINT",
  candidatePool: "CINECLUSTER_CANDIDATE_POOL",
  clusterTopN: "CINECLUSTER_CLUSTER_TOP_N",
  popularMinVotes: "CINECLUSTER_POPULAR_MIN_VOTES",
  popularListSize: "CINECLUSTER_POPULAR_LIST_SIZE",
  writeConcurrency: "CINECLUSTER_WRITE_CONCURRENCY",
  neighbourWeight: "CINECLUSTER_NEIGHBOUR_WEIGHT",
  minUserShare: "CINECLUSTER_MIN_USER_SHARE",
  minFavouriteShare: "CINECLUSTER_MIN_FAVOURITE_SHARE",
  minMovieShare: "CINECLUSTER_MIN_MOVIE_SHARE",
  minK: "CINECLUSTER_MIN_K",
  versionsKept: "CINECLUSTER_VERSIONS_KEPT",
  trainFunctionName: "CINECLUSTER_TRAIN_FUNCTION",
  /** Lambda API endpoint override of the administrative function (tests); absent in the cloud. */
  lambdaEndpoint: "CINECLUSTER_LAMBDA_ENDPOINT",
  authIssuer: "CINECLUSTER_AUTH_ISSUER",
  authClientIds: "CINECLUSTER_AUTH_CLIENT_IDS",
  storeDeadlineMs: "CINECLUSTER_STORE_DEADLINE_MS",
  /** X-Ray tracing of the API functions (Powertools Tracer reads the same name): "true" in the stack. */
  tracing: "POWERTOOLS_TRACE_ENABLED",
  /** Level of the API functions' logs: INFO in Lambda (one line per request), WARN locally. */
  logLevel: "POWERTOOLS_LOG_LEVEL",
} as const;
