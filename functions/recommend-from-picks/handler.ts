import { createDynamoCatalogueReader, createDynamoPicksReader } from "../../shared/adapters/dynamo-store.js";
import { loadApiConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";

const config = loadApiConfig();
export const handler = createHandler({
  picks: createDynamoPicksReader(config),
  catalogue: createDynamoCatalogueReader(config),
  candidatePool: config.candidatePool,
});
