import { loadTrainConfig } from "../../shared/config.js";
import { createHandler } from "./create-handler.js";
import { createTrainDeps } from "./deps.js";
import { createTrainingLogger, createTrainingMetrics } from "./telemetry.js";

export const handler = createHandler({
  ...createTrainDeps(loadTrainConfig()),
  log: createTrainingLogger(),
  metrics: createTrainingMetrics(),
});
