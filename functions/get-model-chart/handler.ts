import { createDynamoCatalogueReader } from "../../shared/adapters/dynamo-store.js";
import { loadApiConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";

export const handler = createHandler({ catalogue: createDynamoCatalogueReader(loadApiConfig()) });
