import { describe, expect, it } from "vitest";
import { loadApiConfig, loadTrainConfig } from "../../shared/config.js";
import { ConfigError } from "../../shared/domain/errors.js";
import { PRODUCTION_SETTINGS } from "../../shared/domain/evaluation/tuning.js";
import { SERVING_DEFAULTS } from "../../shared/domain/settings.js";

describe("config", () => {
  it("reads the API config with tunable defaults", () => {
    expect(loadApiConfig({ CINECLUSTER_TABLE: "t" })).toEqual({
      tableName: "t",
      dynamoEndpoint: undefined,
      region: "us-east-1",
      candidatePool: SERVING_DEFAULTS.candidatePool,
      neighbourWeight: SERVING_DEFAULTS.neighbourWeight,
      storeDeadlineMs: SERVING_DEFAULTS.storeDeadlineMs,
    });
    expect(
      loadApiConfig({
        CINECLUSTER_TABLE: "t",
        CINECLUSTER_DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
        CINECLUSTER_CANDIDATE_POOL: "50",
        AWS_REGION: "eu-west-1",
      }),
    ).toEqual({
      tableName: "t",
      dynamoEndpoint: "http://127.0.0.1:8000",
      region: "eu-west-1",
      candidatePool: 50,
      neighbourWeight: SERVING_DEFAULTS.neighbourWeight,
      storeDeadlineMs: SERVING_DEFAULTS.storeDeadlineMs,
    });
  });

  it("serves with the neighbour weight the evaluation recommends", () => {
    expect(SERVING_DEFAULTS.neighbourWeight).toBe(PRODUCTION_SETTINGS.neighbourWeight);
    expect(loadApiConfig({ CINECLUSTER_TABLE: "t", CINECLUSTER_NEIGHBOUR_WEIGHT: "0" }).neighbourWeight).toBe(
      0,
    );
  });

  it("throws at load naming the missing variable", () => {
    expect(() => loadApiConfig({})).toThrow(ConfigError);
    expect(() => loadApiConfig({})).toThrow("environment variable CINECLUSTER_TABLE is required and not set");
    expect(() =>
      loadTrainConfig({ CINECLUSTER_TABLE: "t", CINECLUSTER_BUCKET: "b", CINECLUSTER_RATINGS_KEY: "r" }),
    ).toThrow("CINECLUSTER_MOVIES_KEY");
  });

  it("names a malformed variable", () => {
    try {
      loadApiConfig({ CINECLUSTER_TABLE: "t", CINECLUSTER_CANDIDATE_POOL: "-3" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe("CINECLUSTER_CANDIDATE_POOL");
      expect((error as Error).message).toContain("is invalid");
    }
  });

  it("reads the training config: k auto or a number, tunables parsed", () => {
    const base = {
      CINECLUSTER_TABLE: "t",
      CINECLUSTER_BUCKET: "b",
      CINECLUSTER_RATINGS_KEY: "r",
      CINECLUSTER_MOVIES_KEY: "m",
    };
    const auto = loadTrainConfig(base);
    expect(auto.k).toBe("auto");
    expect(auto.seed).toBe(42);
    expect(auto.clusterTopN).toBe(2_000);
    expect(
      loadTrainConfig({ ...base, CINECLUSTER_K: "12", CINECLUSTER_FAVOURITE_THRESHOLD: "3.5" }),
    ).toMatchObject({
      k: 12,
      favouriteThreshold: 3.5,
    });
    expect(() => loadTrainConfig({ ...base, CINECLUSTER_K: "twelve" })).toThrow("CINECLUSTER_K");
  });
});
