import { ENV } from "../shared/env-names.js";
import type { ConfigKind } from "./function-specs.js";
import type { StackSettings } from "./settings.js";

/**
 * The environment variables each function gets, named from shared/env-names.ts (the names shared/config.ts
 * reads). Endpoint overrides (DynamoDB Local, s3rver) are never set in the cloud.
 */

/** Names of the deployed resources (CloudFormation tokens in the stack, plain strings in the benchmark). */
export interface ResourceNames {
  readonly tableName: string;
  readonly bucketName: string;
  /** The user pool's token issuer and app client ids (personal routes' functions). */
  readonly authIssuer: string;
  readonly authClientIds: readonly string[];
  /** The training function's name (the administrative function starts it). */
  readonly trainFunctionName: string;
}

/** The environment of a function whose config loader is `kind`. */
export function functionEnvironment(
  kind: ConfigKind,
  names: ResourceNames,
  settings: StackSettings,
): Record<string, string> {
  // API functions trace to X-Ray (the stack turns active tracing on for them; shared/telemetry/tracer.ts).
  if (kind === "api") return { [ENV.tableName]: names.tableName, [ENV.tracing]: "true" };
  if (kind === "personal") {
    return {
      [ENV.tableName]: names.tableName,
      [ENV.tracing]: "true",
      [ENV.authIssuer]: names.authIssuer,
      [ENV.authClientIds]: names.authClientIds.join(","),
    };
  }
  if (kind === "admin") {
    return { [ENV.tableName]: names.tableName, [ENV.trainFunctionName]: names.trainFunctionName };
  }
  return {
    [ENV.tableName]: names.tableName,
    [ENV.bucketName]: names.bucketName,
    [ENV.ratingsKey]: settings.ratingsKey,
    [ENV.moviesKey]: settings.moviesKey,
    [ENV.k]: String(settings.k),
    [ENV.seed]: String(settings.seed),
    [ENV.favouriteThreshold]: String(settings.favouriteThreshold),
    [ENV.minClusterSize]: String(settings.minClusterSize),
  };
}
