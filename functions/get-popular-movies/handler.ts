import { createDynamoCatalogueReader, createDynamoStore } from "../../shared/adapters/dynamo-store.js";
import { loadApiConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";

const config = loadApiConfig();
export const handler = createHandler({
  store: createDynamoStore(config),
  catalogue: createDynamoCatalogueReader(config),
});
