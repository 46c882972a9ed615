import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { reportKeys } from "../../functions/train-model/write-report.js";
import { REPORTS_PREFIX } from "../../infra/access-policies.js";
import { handlerEntry } from "../../infra/bundling.js";
import { functionEnvironment } from "../../infra/function-environment.js";
import { FUNCTION_SPECS, isApiFunction } from "../../infra/function-specs.js";
import { readSettings } from "../../infra/settings.js";
import { loadAdminConfig, loadApiConfig, loadAuthConfig, loadTrainConfig } from "../../shared/config.js";
import { FUNCTION_NAMES, ROUTES } from "../../shared/constants.js";
import { ENV } from "../../shared/env-names.js";
import {
  functionIds,
  idOf,
  resourcesOfType,
  type Synthesised,
  synthOncePerFile,
  synthStack,
} from "../helpers/synth-stack.js";

/**
 * The contract between the stack and the function code, which infra may not import: the environment the
 * stack sets is what shared/config.ts accepts, each handler loads the config its spec says, and the training
 * run writes its reports where its IAM policy allows.
 */

const synth = synthOncePerFile();

function templateEnvironment(s: Synthesised, name: (typeof FUNCTION_NAMES)[number]): Record<string, unknown> {
  const fn = resourcesOfType(s.template, "AWS::Lambda::Function")[functionIds(s.stack, name).fn]!;
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

const NAMES = {
  tableName: "cinecluster-table",
  bucketName: "cinecluster-bucket",
  authIssuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example",
  authClientIds: ["exampleclient"],
  trainFunctionName: "cinecluster-train",
};
const DEFAULTS = readSettings({ tryGetContext: () => undefined });

describe("environment variables", () => {
  it("public API functions get the table name, tracing on (and source-map stack traces), nothing else", () => {
    const tableRef = { Ref: idOf(synth.stack, synth.stack.data.table) };
    for (const name of FUNCTION_NAMES.filter((n) => FUNCTION_SPECS[n].config === "api")) {
      expect(templateEnvironment(synth, name)).toEqual({
        [ENV.tableName]: tableRef,
        [ENV.tracing]: "true",
        NODE_OPTIONS: "--enable-source-maps",
      });
    }
  });

  it("API functions trace actively to X-Ray; the training and admin functions do not", () => {
    const functions = synth.template.findResources("AWS::Lambda::Function");
    for (const name of FUNCTION_NAMES) {
      const id = idOf(synth.stack, synth.stack.functions.byName[name]);
      const tracing = functions[id]!.Properties.TracingConfig;
      expect(tracing, name).toEqual(isApiFunction(name) ? { Mode: "Active" } : undefined);
      expect(templateEnvironment(synth, name)[ENV.tracing], name).toBe(
        isApiFunction(name) ? "true" : undefined,
      );
    }
  });

  it("the functions of personal routes, and only they, also get the pool's issuer and app client", () => {
    const personal = new Set<string>(ROUTES.filter((r) => r.personal).map((r) => r.functionName));
    expect(FUNCTION_NAMES.filter((n) => FUNCTION_SPECS[n].config === "personal")).toEqual(
      FUNCTION_NAMES.filter((n) => personal.has(n)),
    );
    const pool = idOf(synth.stack, synth.stack.accounts.userPool);
    const client = idOf(synth.stack, synth.stack.accounts.webClient);
    for (const name of personal) {
      const env = templateEnvironment(synth, name as (typeof FUNCTION_NAMES)[number]);
      expect(env[ENV.authClientIds]).toEqual({ Ref: client });
      expect(JSON.stringify(env[ENV.authIssuer])).toContain(pool);
      expect(JSON.stringify(env[ENV.authIssuer])).toContain("https://cognito-idp.");
    }
  });

  it("train-model gets the table, the bucket, the input keys and the training settings from context", () => {
    const s = synthStack({ k: "12", seed: "7", favouriteThreshold: "3.5", minClusterSize: "4" });
    expect(templateEnvironment(s, "train-model")).toEqual({
      CINECLUSTER_TABLE: { Ref: idOf(s.stack, s.stack.data.table) },
      CINECLUSTER_BUCKET: { Ref: idOf(s.stack, s.stack.data.bucket) },
      CINECLUSTER_RATINGS_KEY: "input/ratings.csv",
      CINECLUSTER_MOVIES_KEY: "input/movies.csv",
      CINECLUSTER_K: "12",
      CINECLUSTER_SEED: "7",
      CINECLUSTER_FAVOURITE_THRESHOLD: "3.5",
      CINECLUSTER_MIN_CLUSTER_SIZE: "4",
      NODE_OPTIONS: "--enable-source-maps",
    });
    expect(templateEnvironment(synth, "train-model")[ENV.k]).toBe("auto");
  });

  it("loadApiConfig accepts what the API functions get", () => {
    const config = loadApiConfig({ ...functionEnvironment("api", NAMES, DEFAULTS), AWS_REGION: "eu-west-1" });
    expect(config.tableName).toBe("cinecluster-table");
    expect(config.dynamoEndpoint).toBeUndefined();
  });

  it("loadAuthConfig accepts what the personal routes' functions get", () => {
    expect(loadAuthConfig(functionEnvironment("personal", NAMES, DEFAULTS))).toEqual({
      issuer: NAMES.authIssuer,
      clientIds: NAMES.authClientIds,
    });
  });

  it("loadTrainConfig accepts what train-model gets, with the same values", () => {
    const settings = readSettings({
      tryGetContext: (key) => ({ k: "9", seed: "3", minClusterSize: "2" })[key],
    });
    const config = loadTrainConfig({
      ...functionEnvironment("train", NAMES, settings),
      AWS_REGION: "eu-west-1",
    });
    expect(config).toMatchObject({
      tableName: "cinecluster-table",
      bucketName: "cinecluster-bucket",
      ratingsKey: "input/ratings.csv",
      moviesKey: "input/movies.csv",
      k: 9,
      seed: 3,
      favouriteThreshold: 4,
      minClusterSize: 2,
      s3Endpoint: undefined,
      dynamoEndpoint: undefined,
    });
    expect(loadTrainConfig({ ...functionEnvironment("train", NAMES, DEFAULTS) }).k).toBe("auto");
  });

  it("loadAdminConfig accepts what admin-model gets: the table and the training function's name", () => {
    expect(loadAdminConfig({ ...functionEnvironment("admin", NAMES, DEFAULTS) })).toMatchObject({
      tableName: "cinecluster-table",
      trainFunctionName: "cinecluster-train",
    });
    const env = templateEnvironment(synth, "admin-model");
    expect(env).toEqual({
      [ENV.tableName]: { Ref: idOf(synth.stack, synth.stack.data.table) },
      [ENV.trainFunctionName]: { Ref: functionIds(synth.stack, "train-model").fn },
      NODE_OPTIONS: "--enable-source-maps",
    });
  });

  it.each(FUNCTION_NAMES)("%s's handler loads the config its spec names", (name) => {
    const source = readFileSync(handlerEntry(name), "utf8");
    const kind = FUNCTION_SPECS[name].config;
    const loader = {
      train: "loadTrainConfig",
      admin: "loadAdminConfig",
      api: "loadApiConfig",
      personal: "loadApiConfig",
    }[kind];
    expect(source).toContain(`${loader}(`);
    for (const other of ["loadTrainConfig", "loadAdminConfig", "loadApiConfig"].filter((l) => l !== loader)) {
      expect(source).not.toContain(`${other}(`);
    }
    if (kind === "personal") expect(source).toContain("loadAuthConfig(");
    else expect(source).not.toContain("loadAuthConfig(");
  });
});

describe("training reports", () => {
  it("are written under the prefix the training role may write", () => {
    const keys = reportKeys("v-2026-01-01");
    expect(keys.jsonKey.startsWith(REPORTS_PREFIX)).toBe(true);
    expect(keys.svgKey.startsWith(REPORTS_PREFIX)).toBe(true);
  });
});
