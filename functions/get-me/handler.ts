import { createAccountWriter } from "../../shared/adapters/dynamo-account-writer.js";
import { loadApiConfig, loadAuthConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";

const accounts = createAccountWriter(loadApiConfig());
export const handler = createHandler({ caller: { ...loadAuthConfig(), accounts }, accounts });
