/**
 * `npm run admin -- versions | retrain | rollback --to <version> [--data-dir <dir>]`: the administrative
 * handler (functions/admin-model) against the running `npm start` stack, found through the environment it
 * leaves in its data folder. `retrain` runs the training handler here, against the same table and bucket.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { STACK_ENV_FILE } from "../local/local-stack.js";
import { DEFAULT_DATA_DIR } from "../local/start-options.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npm run admin -- versions | retrain | rollback --to <version> [--data-dir <dir>]

  versions            the stored model versions: active, pending, and those kept for rollback
  retrain             trains now (the training handler, against the running npm start stack)
  rollback --to <v>   makes kept version <v> live again, catching up favourites changed since it was live

Needs a running \`npm start\` (same --data-dir).
`;

await runCli(USAGE, async (argv) => {
  const [action, ...rest] = argv;
  const args = new CliArgs(rest, { to: "value", "data-dir": "value" });
  const dataDir = path.resolve(args.optional("data-dir") ?? DEFAULT_DATA_DIR);
  const envFile = path.join(dataDir, STACK_ENV_FILE);
  if (!existsSync(envFile))
    throw new Error(`no running npm start found (${envFile} is missing): start it first with npm start`);
  Object.assign(process.env, JSON.parse(readFileSync(envFile, "utf8")) as Record<string, string>);

  const to = args.optional("to");
  const event = to === undefined ? { action } : { action, to };
  if (action !== "retrain") {
    // The deployed entry point itself (functions/admin-model/handler.ts), reading its config at import as in
    // Lambda; it only needs the training function's name to start a run, which these actions never do.
    process.env.CINECLUSTER_TRAIN_FUNCTION ??= "train-model";
    const { handler } = await import("../functions/admin-model/handler.js");
    process.stdout.write(`${JSON.stringify(await handler(event), null, 2)}\n`);
    return;
  }
  // Locally there is no Lambda service to invoke asynchronously: the same handler (createHandler with the
  // same deps) starts the run by running the training handler here, against the same table and bucket.
  const { loadTrainConfig } = await import("../shared/config.js");
  const { createTableRef } = await import("../shared/adapters/dynamo-client.js");
  const { createAdminDeps } = await import("../functions/admin-model/deps.js");
  const { createHandler } = await import("../functions/admin-model/create-handler.js");
  const config = loadTrainConfig();
  const retrain = async () => {
    const { createTrainDeps } = await import("../functions/train-model/deps.js");
    const train = await import("../functions/train-model/create-handler.js");
    const { createTrainingLogger, createTrainingMetrics } = await import(
      "../functions/train-model/telemetry.js"
    );
    return train.createHandler({
      ...createTrainDeps(config),
      log: createTrainingLogger(),
      metrics: createTrainingMetrics(),
    })({ source: "cinecluster.admin" });
  };
  const result = await createHandler(createAdminDeps(createTableRef(config), retrain))(event);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
});
