import { describe, expect, it } from "vitest";
import {
  CONTEXT_DEFAULTS,
  ContextSettingError,
  parseTrainingRate,
  readSettings,
} from "../../infra/settings.js";
import { CDK_JSON_CONTEXT } from "../helpers/synth-stack.js";

function context(values: Record<string, unknown>): { tryGetContext(key: string): unknown } {
  return { tryGetContext: (key) => values[key] };
}

function errorOf(fn: () => unknown): ContextSettingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContextSettingError) return error;
    throw error;
  }
  return expect.unreachable("expected a ContextSettingError");
}

describe("stack settings from CDK context", () => {
  it("cdk.json holds exactly the documented defaults", () => {
    const settingKeys = Object.keys(CDK_JSON_CONTEXT).filter((key) => !key.startsWith("@aws-cdk/"));
    expect(Object.fromEntries(settingKeys.map((key) => [key, CDK_JSON_CONTEXT[key]]))).toEqual(
      CONTEXT_DEFAULTS,
    );
  });

  it("fills every setting from the defaults when the context is empty", () => {
    const settings = readSettings(context({}));
    expect({ ...settings, trainingRate: settings.trainingRate.toMinutes() }).toEqual({
      stage: "dev",
      k: "auto",
      seed: 42,
      favouriteThreshold: 4,
      minClusterSize: 6,
      trainingRate: 1440,
      ratingsKey: "input/ratings.csv",
      moviesKey: "input/movies.csv",
      corsOrigins: ["http://localhost:3000"],
      signInRateLimit: 100,
      throttleRate: 50,
      throttleBurst: 100,
      logRetentionDays: 30,
      alarmEmail: "",
      latencyAlarmMs: 1000,
    });
  });

  it("accepts command-line strings (-c k=12) as well as JSON values", () => {
    const settings = readSettings(
      context({
        stage: "prod",
        k: "12",
        seed: "-7",
        favouriteThreshold: "3.5",
        minClusterSize: 10,
        trainingRate: "6 hours",
        corsOrigins: "https://a.example, https://b.example",
        logRetentionDays: "90",
        alarmEmail: "ops@example.org",
      }),
    );
    expect(settings.stage).toBe("prod");
    expect(settings.k).toBe(12);
    expect(settings.seed).toBe(-7);
    expect(settings.favouriteThreshold).toBe(3.5);
    expect(settings.minClusterSize).toBe(10);
    expect(settings.trainingRate.toMinutes()).toBe(360);
    expect(settings.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(settings.logRetentionDays).toBe(90);
    expect(settings.alarmEmail).toBe("ops@example.org");
  });

  it.each([
    ["k", "1", '"auto" or an integer of at least 2'],
    ["k", "many", '"auto" or an integer of at least 2'],
    ["seed", "1.5", "an integer"],
    ["favouriteThreshold", "6", "a number in 0.5..5"],
    ["minClusterSize", "0", "a positive integer"],
    ["throttleRate", "", "a positive integer"],
    ["logRetentionDays", "10", "one of 1, 3, 5"],
    ["stage", "Prod", "lower-case letters"],
    ["ratingsKey", "/ratings.csv", 'without a leading "/"'],
    ["corsOrigins", [], "a list of origins"],
    ["corsOrigins", ["*"], 'never "*"'],
    ["corsOrigins", "http://films.example", "https://films.example"],
    ["corsOrigins", "https://films.example/app", "https://films.example"],
    ["signInRateLimit", "5", "an integer from 10"],
    ["alarmEmail", "nobody", "an e-mail address"],
    ["latencyAlarmMs", "5", "an integer from 10 to 30000"],
  ])("rejects %s = %j, naming the key", (key, value, rule) => {
    const error = errorOf(() => readSettings(context({ [key]: value })));
    expect(error.key).toBe(key);
    expect(error.message).toContain(`context "${key}"`);
    expect(error.message).toContain(rule);
  });
});

describe("training rate", () => {
  it.each([
    ["1 day", 1440],
    ["2 days", 2880],
    ["12 hours", 720],
    ["1 hour", 60],
    ["15 minutes", 15],
    ["3 days", 4320],
  ])("parses %s as %i minutes", (text, minutes) => {
    expect(parseTrainingRate(text).toMinutes()).toBe(minutes);
  });

  it.each(["14 minutes", "4 days", "daily", "1.5 days", "0 hours"])("rejects %s", (text) => {
    expect(errorOf(() => parseTrainingRate(text)).key).toBe("trainingRate");
  });
});
