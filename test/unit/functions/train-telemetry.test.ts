import { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createTrainingLogger,
  METRICS_NAMESPACE,
  powertoolsTrainingMetrics,
  SERVICE_NAME,
} from "../../../functions/train-model/telemetry.js";

function captureStdout(): { lines: () => Record<string, unknown>[] } {
  const writes: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  return {
    lines: () =>
      writes
        .join("")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("training telemetry (Powertools)", () => {
  it("publishes one EMF record with every training figure", () => {
    const out = captureStdout();
    const metrics = powertoolsTrainingMetrics(
      new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    );
    metrics.succeeded({
      durationMs: 1234,
      rowsRead: 100,
      badRows: 2,
      users: 10,
      favourites: 40,
      apiFavourites: 3,
      k: 4,
      inertia: 12.5,
    });
    const [record] = out.lines();
    expect(record).toMatchObject({
      TrainingDuration: 1234,
      RatingRowsRead: 100,
      BadRatingRows: 2,
      TrainedUsers: 10,
      Favourites: 40,
      ApiFavouritesMerged: 3,
      ClusterCount: 4,
      Inertia: 12.5,
      TrainingSucceeded: 1,
      service: SERVICE_NAME,
    });
    const aws = record!._aws as {
      CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[];
    };
    expect(aws.CloudWatchMetrics[0]!.Namespace).toBe("cinecluster");
    expect(aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({
      Name: "TrainingDuration",
      Unit: "Milliseconds",
    });
  });

  it("publishes a failure count with the error name", () => {
    const out = captureStdout();
    const metrics = powertoolsTrainingMetrics(
      new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    );
    metrics.failed(50, "RatingsFormatError");
    expect(out.lines()[0]).toMatchObject({
      TrainingFailed: 1,
      TrainingDuration: 50,
      error: "RatingsFormatError",
    });
  });

  it("logs structured JSON with the error's name, message and cause", () => {
    const logged: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    }
    const logger = createTrainingLogger();
    const cause = new Error("line 3: rating 9 is outside 0.5..5");
    logger.error("training failed", { error: new Error("bad ratings file", { cause }) });
    const text = logged.join("");
    const line = text.split("\n").find((l) => l.includes("training failed"))!;
    const parsed = JSON.parse(line) as {
      level: string;
      service: string;
      error: { message: string; cause: { message: string } };
    };
    expect(parsed.level).toBe("ERROR");
    expect(parsed.service).toBe(SERVICE_NAME);
    expect(parsed.error.message).toBe("bad ratings file");
    expect(parsed.error.cause.message).toBe("line 3: rating 9 is outside 0.5..5");
  });
});
