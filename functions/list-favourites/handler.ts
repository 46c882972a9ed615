import { createAccountReader } from "../../shared/adapters/dynamo-account-reader.js";
import { createDynamoStore } from "../../shared/adapters/dynamo-store.js";
import { loadApiConfig, loadAuthConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";

const config = loadApiConfig();
export const handler = createHandler({
  store: createDynamoStore(config),
  caller: { ...loadAuthConfig(), accounts: createAccountReader(config) },
});
