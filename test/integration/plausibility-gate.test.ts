import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrainResult } from "../../functions/train-model/create-handler.js";
import { createTableRef } from "../../shared/adapters/dynamo-client.js";
import { removeSupersededVersions } from "../../shared/adapters/dynamo-version-cleanup.js";
import { ModelRefusedError } from "../../shared/domain/errors.js";
import { type LocalSystem, moviesCsv, ratingsCsv, startLocalSystem } from "../helpers/local-system.js";

/** 12 users in two taste groups (users 1-6 love movies 1-3, users 7-12 movies 4-6). */
const GOOD = ratingsCsv(
  Array.from({ length: 12 }, (_, i) => i + 1).flatMap((user) =>
    (user <= 6 ? [1, 2, 3] : [4, 5, 6]).map((movie) => [user, movie, 5] as const),
  ),
);
/** A valid but truncated file: one user (issue 10, finding 3). */
const TRUNCATED = ratingsCsv([
  [1, 1, 5],
  [1, 2, 5],
]);

describe("a valid but truncated ratings file does not replace a good model", () => {
  let system: LocalSystem;
  let good: TrainResult;

  beforeAll(async () => {
    system = await startLocalSystem("plausible", { CINECLUSTER_MIN_CLUSTER_SIZE: "1" });
    await system.put(system.config.moviesKey, moviesCsv(6));
    await system.put(system.config.ratingsKey, TRUNCATED);
  });
  afterAll(() => system.close());

  it("the first model ever needs only the absolute minimums: one user is refused", async () => {
    const error = await system.train().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRefusedError);
    expect((error as Error).message).toContain(
      "the new file has 1 user with favourites; at least 2 are needed",
    );
    expect(system.metricEvents.at(-1)).toBe("TrainingRefused");
    expect((await system.request("GET", "/health")).body.modelVersion).toBeNull();
    // No "keeps serving" line when nothing serves.
    expect(system.logs.some((line) => /keeps serving/.test(line.message))).toBe(false);
  });

  it("refuses the truncated file over a 12-user model: the old one keeps serving, nothing is left", async () => {
    await system.put(system.config.ratingsKey, GOOD);
    good = (await system.train()) as TrainResult;
    expect(good).toMatchObject({ status: "trained", users: 12 });
    expect(good.clusters).toBeGreaterThanOrEqual(2);

    await system.put(system.config.ratingsKey, TRUNCATED);
    const error = await system.train().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRefusedError);
    expect((error as Error).message).toContain(
      "the new file has 1 user with favourites; the active model has 12 (at least 50% = 6 needed; set CINECLUSTER_MIN_USER_SHARE to override)",
    );
    expect(system.metricEvents.at(-1)).toBe("TrainingRefused");
    expect((await system.request("GET", "/health")).body.modelVersion).toBe(good.version);
    const { body } = await system.requestAs(2, "GET", "/users/2/recommendations?limit=3");
    expect(body).toMatchObject({ source: "cluster", modelVersion: good.version });
    expect(await removeSupersededVersions(createTableRef(system.config))).toEqual([]);
  });

  it("an operator can lower the shares: the same file then publishes", async () => {
    const lenient = await startLocalSystem("lenient", {
      CINECLUSTER_K: "2",
      CINECLUSTER_MIN_CLUSTER_SIZE: "1",
      CINECLUSTER_MIN_USER_SHARE: "0",
      CINECLUSTER_MIN_FAVOURITE_SHARE: "0",
      CINECLUSTER_MIN_MOVIE_SHARE: "0",
    });
    try {
      await lenient.put(lenient.config.moviesKey, moviesCsv(6));
      await lenient.put(lenient.config.ratingsKey, GOOD);
      await lenient.train();
      await lenient.put(
        lenient.config.ratingsKey,
        ratingsCsv([
          [1, 1, 5],
          [2, 4, 5],
        ]),
      );
      expect(await lenient.train()).toMatchObject({ status: "trained", users: 2 });
    } finally {
      await lenient.close();
    }
  });
});
