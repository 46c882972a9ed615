import { createTableRef } from "../../shared/adapters/dynamo-client.js";
import { createTrainingStarter } from "../../shared/adapters/lambda-training-starter.js";
import { loadAdminConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";
import { createAdminDeps } from "./deps.js";

const config = loadAdminConfig();
const startTraining = createTrainingStarter({ ...config, endpoint: config.lambdaEndpoint });
export const handler = createHandler(createAdminDeps(createTableRef(config), startTraining));
