import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, parseDuration, parseStartOptions } from "../../../local/start-options.js";
import { ValidationError } from "../../../shared/domain/errors.js";

function rejection(argv: string[]): ValidationError {
  try {
    parseStartOptions(argv, "/home/me");
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`expected ${argv.join(" ")} to be rejected`);
}

describe("npm start options", () => {
  it("defaults to generated sample data on port 3000, no retraining, data in .local-data", () => {
    expect(parseStartOptions([], "/home/me")).toEqual({
      port: 3000,
      host: "127.0.0.1",
      dataDir: DEFAULT_DATA_DIR,
      reset: false,
      persist: false,
      data: { kind: "generated", users: 600, movies: 2000, ratings: 60000, seed: 1 },
      retrainEveryMs: null,
      k: undefined,
      seed: undefined,
      help: false,
    });
    expect(path.basename(DEFAULT_DATA_DIR)).toBe(".local-data");
  });

  it("resolves --ratings/--movies against the working directory and reads every flag", () => {
    const options = parseStartOptions(
      [
        "--port",
        "3100",
        "--reset",
        "--ratings",
        "data/r.csv",
        "--movies=data/m.csv",
        "--retrain-every",
        "10m",
        "--k",
        "12",
        "--data-dir",
        "tmp",
        "--persist",
      ],
      "/home/me",
    );
    expect(options.port).toBe(3100);
    expect(options.reset).toBe(true);
    expect(options.data).toEqual({
      kind: "files",
      ratings: "/home/me/data/r.csv",
      movies: "/home/me/data/m.csv",
    });
    expect(options.retrainEveryMs).toBe(600_000);
    expect(options.k).toBe("12");
    expect(options.dataDir).toBe("/home/me/tmp");
    expect(options.persist).toBe(true);
  });

  it("selects MovieLens with --dataset movielens", () => {
    expect(parseStartOptions(["--dataset", "movielens"]).data).toEqual({ kind: "movielens" });
  });

  it("parses durations and refuses nonsense", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("1500ms")).toBe(1_500);
    expect(parseDuration("off")).toBeNull();
    expect(() => parseDuration("10")).toThrow(
      '--retrain-every must be "off" or a duration of at least 1s such as 30s, 10m or 1h; got "10"',
    );
    expect(() => parseDuration("5ms")).toThrow(ValidationError);
  });

  it("names the flag that is wrong", () => {
    expect(rejection(["--port", "70000"]).message).toBe(
      '--port must be a whole number from 1 to 65535; got "70000"',
    );
    expect(rejection(["--port", "70000"]).field).toBe("--port");
    expect(rejection(["--dataset", "imdb"]).field).toBe("--dataset");
    expect(rejection(["--movies", "m.csv"]).message).toBe("--movies goes with --ratings <file>");
    expect(rejection(["--ratings", "r.csv", "--dataset", "movielens"]).field).toBe("--dataset");
    expect(rejection(["--k", "many"]).field).toBe("--k");
    expect(rejection(["--colour"]).field).toBe("arguments");
    expect(rejection(["--users", "5"]).message).toBe(
      '--users must be a whole number from 10 to 1000000; got "5"',
    );
  });
});
