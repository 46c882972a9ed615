import type { StoreConfig } from "../config.js";
import { StoreError } from "../domain/errors.js";
import type { ApiStore } from "../domain/store.js";
import { createTableRef } from "./dynamo-client.js";

/** Creates the API's store over the configured DynamoDB table. */
export function createDynamoStore(config: StoreConfig): ApiStore {
  createTableRef(config);
  const pending = async (): Promise<never> => {
    throw new StoreError("not implemented yet");
  };
  return {
    activeVersion: pending,
    recommendationData: pending,
    recordFavourite: pending,
    removeFavourite: pending,
    listFavourites: pending,
    popularMovies: pending,
    clusterProfile: pending,
    modelInfo: pending,
  };
}
