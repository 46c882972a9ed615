import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrainResult } from "../../functions/train-model/create-handler.js";
import { trainSettings } from "../../functions/train-model/deps.js";
import { createTableRef } from "../../shared/adapters/dynamo-client.js";
import { acquireTrainingLock, releaseTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { readVersionMeta } from "../../shared/adapters/dynamo-version-meta.js";
import {
  ConflictError,
  RatingsFormatError,
  ThrottledError,
  TrainingError,
} from "../../shared/domain/errors.js";
import type { TrainingStore } from "../../shared/domain/training-ports.js";
import { type LocalSystem, moviesCsv, ratingsCsv, startLocalSystem } from "../helpers/local-system.js";

/** Two groups of three users (movies 1-2 and 3-4), k fixed at 2: 12 favourites. */
const GOOD = ratingsCsv([
  [1, 1, 5],
  [1, 2, 5],
  [2, 1, 4],
  [2, 2, 4.5],
  [3, 1, 5],
  [3, 2, 5],
  [4, 3, 5],
  [4, 4, 5],
  [5, 3, 4],
  [5, 4, 4],
  [6, 3, 5],
  [6, 4, 5],
]);
/** Line 3 has a rating that is not a number and line 5 one outside 0.5..5: 2 of 4 rows bad. */
const CORRUPT = "userId,movieId,rating,timestamp\n1,1,5.0,1\n2,1,banana,2\n3,2,4.0,3\n4,2,9.0,4\n";

describe("training failures leave the active model serving and are cleaned up by the next run", () => {
  let system: LocalSystem;
  let active: TrainResult;

  async function activeVersion(): Promise<string | null> {
    return (await system.request("GET", "/health")).body.modelVersion;
  }

  function lastError(): { message: string; error: Error } {
    const line = system.logs.filter((l) => l.level === "error").at(-1)!;
    return { message: line.message, error: line.attributes!.error as Error };
  }

  beforeAll(async () => {
    system = await startLocalSystem("train-fail", { CINECLUSTER_K: "2", CINECLUSTER_MIN_CLUSTER_SIZE: "1" });
    await system.put(system.config.ratingsKey, GOOD);
    await system.put(system.config.moviesKey, moviesCsv(4));
    active = (await system.train()) as TrainResult;
  });

  afterAll(async () => {
    await system.close();
  });

  it("fails on a corrupt ratings upload, saying which lines are wrong, and keeps serving the previous model", async () => {
    await system.put(system.config.ratingsKey, CORRUPT);
    const error = await system.train().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RatingsFormatError);
    expect((error as Error).message).toBe(
      '2 of 4 rows (50%) are malformed, above the 1% limit; first: line 3: rating "banana" is not a number',
    );
    expect(lastError()).toEqual({ message: "training failed; the active model keeps serving", error });
    expect(await activeVersion()).toBe(active.version);
    const recommendations = await system.requestAs(1, "GET", "/users/1/recommendations");
    expect(recommendations.status).toBe(200);
    expect(recommendations.body.modelVersion).toBe(active.version);
    await system.put(system.config.ratingsKey, GOOD);
  });

  it("fails when k is larger than the number of users", async () => {
    const error = await system
      .train({ settings: { ...trainSettings(system.config), k: 50 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toBe(
      "k = 50 asks for more clusters than there are users with favourites (6).",
    );
    expect(await activeVersion()).toBe(active.version);
  });

  it("fails before writing when the Lambda is about to time out", async () => {
    const context = { awsRequestId: "test", getRemainingTimeInMillis: () => 5_000 };
    const error = await system.train({}, { source: "test" }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toBe(
      "stopped before writing the model: only 5000 ms of the Lambda timeout left (needs 60000 ms); the active model keeps serving",
    );
    expect(await activeVersion()).toBe(active.version);
  });

  it("refuses to run while another run holds the lock", async () => {
    const table = createTableRef(system.config);
    await acquireTrainingLock(table, "someone-else", Date.now(), 60_000);
    try {
      const error = await system.train().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(lastError().message).toBe("training not started: the lock is held or unreachable");
    } finally {
      await releaseTrainingLock(table, "someone-else");
    }
  });

  it("cleans up a version left half-published by throttling beyond retries, on the next good run", async () => {
    let stranded = "";
    const throttled: TrainingStore = {
      ...system.store,
      publishModelVersion: async (version) => {
        stranded = version;
        throw new ThrottledError("UpdateItem throttled beyond retries");
      },
    };
    const error = await system.train({ store: throttled }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(await activeVersion()).toBe(active.version);
    const table = createTableRef(system.config);
    expect((await readVersionMeta(table, stranded))?.state).toBe("complete");
    expect(await system.objects.list(`models/${stranded}/`)).toHaveLength(2);

    const next = (await system.train()) as TrainResult;
    expect(next).toMatchObject({
      status: "trained",
      previousVersion: active.version,
      users: 6,
      favourites: 12,
    });
    expect(await activeVersion()).toBe(next.version);
    expect(await readVersionMeta(table, stranded)).toBeNull();
    // The previous version stays, with its report, for rollback (CINECLUSTER_VERSIONS_KEPT, default 3).
    expect((await readVersionMeta(table, active.version))?.state).toBe("complete");
    const reports = await system.objects.list("models/");
    expect(reports).toContain(next.report.jsonKey);
    expect(reports).toContain(active.report.jsonKey);
    expect(reports.some((key) => key.includes(stranded))).toBe(false);
    active = next;
  });

  it("trains on an S3 event for the ratings object and skips events for other keys", async () => {
    const event = (key: string) => ({ Records: [{ eventSource: "aws:s3", s3: { object: { key } } }] });
    expect(await system.train({}, event("data/other.csv"))).toEqual({
      status: "skipped",
      reason: "S3 event for data/other.csv, not the ratings object data/ratings.csv",
    });
    expect(await activeVersion()).toBe(active.version);
    const result = (await system.train({}, event("data/ratings.csv"))) as TrainResult;
    expect(result.status).toBe("trained");
    expect(await activeVersion()).toBe(result.version);
    active = result;
  });

  it("trains on the EventBridge upload event the stack wires; a burst's later events find the lock and skip", async () => {
    const uploaded = (key: string) => ({
      source: "aws.s3",
      "detail-type": "Object Created",
      detail: { bucket: { name: system.config.bucketName }, object: { key } },
    });
    expect(await system.train({}, uploaded("data/movies.csv"))).toMatchObject({ status: "skipped" });
    const first = (await system.train({}, uploaded("data/ratings.csv"))) as TrainResult;
    expect(first.status).toBe("trained");

    // While a run holds the lock (as the first of a burst does), a further upload event is a skip, not a failure.
    const table = createTableRef(system.config);
    const errorsBefore = system.logs.filter((l) => l.level === "error").length;
    await acquireTrainingLock(table, "first-of-the-burst", Date.now(), 60_000);
    try {
      expect(await system.train({}, uploaded("data/ratings.csv"))).toEqual({
        status: "skipped",
        reason:
          "a training run is already under way (it reads the ratings as they were when it started); " +
          "an upload after that is trained by the next run",
      });
      // A manual or scheduled run in the same situation still fails loudly.
      expect(await system.train().catch((e: unknown) => e)).toBeInstanceOf(ConflictError);
    } finally {
      await releaseTrainingLock(table, "first-of-the-burst");
    }
    expect(system.logs.filter((l) => l.level === "error").length).toBe(errorsBefore + 1);
    expect(await activeVersion()).toBe(first.version);
    active = first;
  });

  it("trains without a movies object, with a warning that titles are missing", async () => {
    await system.objects.delete(system.config.moviesKey);
    const result = (await system.train()) as TrainResult;
    expect(result.status).toBe("trained");
    expect(system.logs.some((l) => l.level === "warn" && l.message.startsWith("no movies object"))).toBe(
      true,
    );
  });
});
