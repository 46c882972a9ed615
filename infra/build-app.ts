import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { CineclusterStack, stackName } from "./cinecluster-stack.js";
import { readSettings } from "./settings.js";

/**
 * Adds the stage's stack to an app (settings from its context) and registers cdk-nag's AwsSolutions checks,
 * so synth fails on any unacknowledged finding. infra/app.ts and the assertion tests both build through here.
 */
export function buildApp(app: App): CineclusterStack {
  const settings = readSettings(app.node);
  const stack = new CineclusterStack(app, stackName(settings.stage), {
    settings,
    description: `cinecluster (${settings.stage}): movie recommendations from taste clusters`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
