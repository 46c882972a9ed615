/**
 * Recording favourites places a new user the way POST /recommendations places picks: by closeness to the
 * version's centroids (soft membership), not by the cluster covering most favourites. On a model built so
 * the two rules disagree, against DynamoDB Local.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as getCluster } from "../../functions/get-cluster/create-handler.js";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import { createHandler as recordFavourite } from "../../functions/record-favourite/create-handler.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { bindPicksReader } from "../../shared/adapters/dynamo-picks-reader.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { readUserVersion } from "../../shared/adapters/dynamo-user-state.js";
import { coveringCluster } from "../../shared/domain/clustering/clusters.js";
import { placePicks } from "../../shared/domain/ranking/picks.js";
import { TRAINING_DEFAULTS } from "../../shared/domain/settings.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { favouritesCsr, modelFrom, TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

/**
 * Cluster 0 (users 1-3) favourite five movies each, movie 10 among them: its centroid coordinate for 10 is
 * 1/sqrt(5). Cluster 1 (users 4, 5) favourite 10 and 15: coordinate 1/sqrt(2). A new user's row [10] is
 * nearer cluster 1 (d^2 = 2 - 2/sqrt(2) = 0.59 against 2 - 2/sqrt(5) = 1.11), while both clusters cover 10
 * with count / size 1, so the covering rule takes the smaller id, 0.
 */
const FAVOURITES = {
  1: [10, 11, 12, 13, 14],
  2: [10, 11, 12, 13, 14],
  3: [10, 11, 12, 13, 14],
  4: [10, 15],
  5: [10, 15],
};
const MODEL = modelFrom({ 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, FAVOURITES);
const OPTIONS = {
  width: TRAINING_DEFAULTS.membershipWidth,
  sharpness: TRAINING_DEFAULTS.membershipSharpness,
};

let table: TableRef;

describe("recording favourites places a new user by closeness, as picks are placed", () => {
  beforeAll(async () => {
    table = await createTestTable("placement");
    await acquireTrainingLock(table, "t", NOW, 60_000);
    await beginModelVersion(table, "v1", "t", NOW);
    await writeModelVersion(
      table,
      { ...tinyVersion("v1"), model: MODEL, favourites: favouritesCsr(FAVOURITES) },
      TINY_WRITE_OPTIONS,
    );
    await publishModelVersion(table, "v1", "t", NOW);
  });

  it("the two rules disagree on this model", () => {
    const tastes = MODEL.clusters.map((c) => ({
      clusterId: c.clusterId,
      size: c.size,
      counts: new Map(Array.from(c.movieIds, (m, i) => [m, c.counts[i]!] as const)),
    }));
    expect(coveringCluster([10], tastes)?.clusterId).toBe(0);
  });

  it("stores the placement POST /recommendations gives the same movies, and ranks from it", async () => {
    const store = bindApiStore(table, { candidatePool: 100 });
    const caller = await callerAuthFor(table, [50]);
    const record = recordFavourite({ store, caller, now: () => NOW });
    const answer = await record(
      apiEvent({ pathParameters: { userId: "50" }, body: JSON.stringify({ movieId: 10 }) }),
    );
    expect(answer.statusCode).toBe(201);

    const expected = placePicks(await bindPicksReader(table).picksInputs([10]), [10], OPTIONS);
    expect(expected[0]!.clusterId).toBe(1);
    const stored = await readUserVersion(table, 50, "v1");
    expect(stored).toMatchObject({ placed: true, clusterId: 1 });
    expect(stored!.memberships.map((m) => m.clusterId)).toEqual(expected.map((m) => m.clusterId));
    stored!.memberships.forEach((m, i) => {
      expect(m.weight).toBeCloseTo(expected[i]!.weight, 12);
    });

    const body = bodyOf(
      await getRecommendations({ store, caller, neighbourWeight: 0 })(
        apiEvent({ pathParameters: { userId: "50" } }),
      ),
    );
    expect(body).toMatchObject({ source: "placed-cluster", clusterId: 1 });
    // Cluster 1's 15 first (liked by 2 of 2), then cluster 0's movies at its smaller weight.
    expect(body.items.map((m: { movieId: number }) => m.movieId)).toEqual([15, 11, 12, 13, 14]);
    // The favourite counts in the strongest group only: 10 is now liked by 3 in cluster 1 (2 trained), 3 in 0.
    const profile = async (clusterId: string) =>
      bodyOf(await getCluster({ store })(apiEvent({ pathParameters: { clusterId } })));
    const likedBy = (p: { topMovies: { movieId: number; likedBy: number }[] }) =>
      p.topMovies.find((m) => m.movieId === 10)?.likedBy;
    expect(likedBy(await profile("1"))).toBe(3);
    expect(likedBy(await profile("0"))).toBe(3);
  });
});
