import type { StoreConfig } from "../config.js";
import type { ApiStore, CatalogueReader, PicksReader } from "../domain/ports.js";
import { bindCatalogueReader } from "./dynamo-catalogue-reader.js";
import { createTableRef, type TableRef } from "./dynamo-client.js";
import { withDeadlines } from "./dynamo-deadline.js";
import { dismissMovie, undoDismissal } from "./dynamo-dismissed.js";
import { readFavouritePage } from "./dynamo-favourite-reader.js";
import { recordFavourite, removeFavourite } from "./dynamo-favourite-writer.js";
import { readClusterProfile, readModelInfo, readPopularMovies } from "./dynamo-model-reader.js";
import { readMovies } from "./dynamo-movie-reader.js";
import { bindPicksReader } from "./dynamo-picks-reader.js";
import { readPointer } from "./dynamo-pointer.js";
import { NeighbourCache, readRecommendationData } from "./dynamo-recommendation-reader.js";

/** Binds the API's storage port to a table. */
export function bindApiStore(table: TableRef, options: { candidatePool: number }): ApiStore {
  const neighbours = new NeighbourCache();
  return {
    activeVersion: async () => (await readPointer(table)).active?.version ?? null,
    recommendationData: (userId, read) =>
      readRecommendationData(table, userId, options.candidatePool, neighbours, read),
    movieSummaries: (movieIds) => readMovies(table, movieIds, neighbours),
    recordFavourite: (userId, movieId, nowMs) => recordFavourite(table, userId, movieId, nowMs),
    removeFavourite: (userId, movieId, nowMs) => removeFavourite(table, userId, movieId, nowMs),
    dismissMovie: (userId, movieId, nowMs) => dismissMovie(table, userId, movieId, nowMs),
    undoDismissal: (userId, movieId, nowMs) => undoDismissal(table, userId, movieId, nowMs),
    listFavourites: (userId, page) => readFavouritePage(table, userId, page),
    popularMovies: (page) => readPopularMovies(table, page),
    clusterProfile: (clusterId, topN) => readClusterProfile(table, clusterId, topN),
    modelInfo: () => readModelInfo(table),
  };
}

/**
 * Creates the API's store over the configured DynamoDB table (one client per cold start). Every storage call
 * settles within `storeDeadlineMs` or fails with StoreUnavailableError (503 + Retry-After); each SDK attempt
 * may stay silent at most that long too, so an abandoned call ends soon after.
 */
export function createDynamoStore(
  config: StoreConfig & { candidatePool: number; storeDeadlineMs: number },
): ApiStore {
  const table = createTableRef(config, { requestTimeoutMs: config.storeDeadlineMs });
  return withDeadlines(bindApiStore(table, { candidatePool: config.candidatePool }), config.storeDeadlineMs);
}

/** Creates the catalogue routes' reader over the configured DynamoDB table (one client per cold start). */
export function createDynamoCatalogueReader(config: StoreConfig): CatalogueReader {
  return bindCatalogueReader(createTableRef(config));
}

/** Creates POST /recommendations' reader over the configured DynamoDB table. */
export function createDynamoPicksReader(config: StoreConfig): PicksReader {
  return bindPicksReader(createTableRef(config));
}
