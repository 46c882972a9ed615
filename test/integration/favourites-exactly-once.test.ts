import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as recordFavourite } from "../../functions/record-favourite/create-handler.js";
import { createHandler as removeFavourite } from "../../functions/remove-favourite/create-handler.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { GLOBAL } from "../../shared/adapters/dynamo-keys.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import type { Movie } from "../../shared/domain/input/ratings.js";
import { apiEvent } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { readCounts } from "../helpers/counts-helper.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { favouritesCsr, modelFrom, TINY_WRITE_OPTIONS } from "../helpers/tiny-model.js";

const USERS = Array.from({ length: 50 }, (_, i) => i + 1);
const MOVIES = Array.from({ length: 20 }, (_, i) => i + 1);
const CLUSTERS = 3;
const clusterOf = (u: number) => u % CLUSTERS;
const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

let table: TableRef;

/** 50 trained users in 3 clusters whose trained favourites (movies 100, 101) are not among the 20 tested. */
async function publishModel(): Promise<void> {
  const assign = Object.fromEntries(USERS.map((u) => [u, clusterOf(u)]));
  const favourites = Object.fromEntries(USERS.map((u) => [u, [100 + (u % 2)]]));
  const movies: Movie[] = [...MOVIES, 100, 101].map((id) => ({
    movieId: id,
    title: `Movie ${id}`,
    genres: ["Drama"],
  }));
  const model = modelFrom(assign, favourites);
  await acquireTrainingLock(table, "t", NOW, 60_000);
  await beginModelVersion(table, "v1", "t", NOW);
  await writeModelVersion(
    table,
    {
      version: "v1",
      trainedAtMs: NOW,
      model,
      favourites: favouritesCsr(favourites),
      movies,
      source: { bucket: "b", key: "k", versionId: null },
    },
    TINY_WRITE_OPTIONS,
  );
  await publishModelVersion(table, "v1", "t", NOW);
}

const pairs = USERS.flatMap((u) => MOVIES.map((m) => [u, m] as const));

/** Each pair twice, interleaved so duplicates are in flight together. */
const twice = pairs.flatMap((pair) => [pair, pair]);

function expectedClusterCount(cluster: number): number {
  return USERS.filter((u) => clusterOf(u) === cluster).length;
}

// Thousands of contended transactions on a shared 2-core machine: a generous limit, not a speed target.
describe("favourites are counted exactly once under concurrency (DynamoDB Local)", {
  timeout: 300_000,
}, () => {
  beforeAll(async () => {
    table = await createTestTable("exactly-once");
    await publishModel();
  });

  it("2,000 concurrent POSTs (1,000 distinct pairs, each sent twice) leave every count equal to distinct pairs", async () => {
    const store = bindApiStore(table, { candidatePool: 200 });
    const post = recordFavourite({ store, caller: await callerAuthFor(table, USERS), now: () => NOW });
    const results = await Promise.all(
      twice.map(([u, m]) =>
        post(apiEvent({ pathParameters: { userId: String(u) }, body: JSON.stringify({ movieId: m }) })),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(pairs.length);
    expect(statuses.filter((s) => s === 200)).toHaveLength(pairs.length);
    const global = await readCounts(table, "v1", GLOBAL);
    for (const m of MOVIES) expect(global.get(m)).toBe(USERS.length);
    for (let c = 0; c < CLUSTERS; c++) {
      const counts = await readCounts(table, "v1", c);
      for (const m of MOVIES) expect(counts.get(m)).toBe(expectedClusterCount(c));
    }
  });

  it("2,000 concurrent DELETEs (each pair twice) bring every count back to zero, never below", async () => {
    const store = bindApiStore(table, { candidatePool: 200 });
    const del = removeFavourite({ store, caller: await callerAuthFor(table, USERS), now: () => NOW });
    const results = await Promise.all(
      twice.map(([u, m]) => del(apiEvent({ pathParameters: { userId: String(u), movieId: String(m) } }))),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 204)).toHaveLength(pairs.length);
    expect(statuses.filter((s) => s === 404)).toHaveLength(pairs.length);
    const global = await readCounts(table, "v1", GLOBAL);
    for (const m of MOVIES) expect(global.get(m)).toBe(0);
    for (let c = 0; c < CLUSTERS; c++) {
      const counts = await readCounts(table, "v1", c);
      for (const m of MOVIES) expect(counts.get(m)).toBe(0);
    }
  });
});
