import { loadApiConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";

// Like every API function, a misconfigured environment fails at cold start (the document needs no config).
loadApiConfig();
export const handler = createHandler();
