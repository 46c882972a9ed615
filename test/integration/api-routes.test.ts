import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as getCluster } from "../../functions/get-cluster/create-handler.js";
import { createHandler as getHealth } from "../../functions/get-health/create-handler.js";
import { createHandler as getModel } from "../../functions/get-model/create-handler.js";
import { createHandler as getPopular } from "../../functions/get-popular-movies/create-handler.js";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import { createHandler as listFavourites } from "../../functions/list-favourites/create-handler.js";
import { createHandler as recordFavourite } from "../../functions/record-favourite/create-handler.js";
import { createHandler as removeFavourite } from "../../functions/remove-favourite/create-handler.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import type { ApiStore } from "../../shared/domain/ports.js";
import type { CallerAuth } from "../../shared/http/caller.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

let table: TableRef;
let store: ApiStore;
let caller: CallerAuth;
const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

async function publish(version: string): Promise<void> {
  await acquireTrainingLock(table, "trainer", NOW, 60_000);
  await beginModelVersion(table, version, "trainer", NOW);
  // The k-selection report's location travels with the version (GET /model shows it).
  const report = { bucket: "b", jsonKey: `models/${version}/k.json`, svgKey: `models/${version}/k.svg` };
  await writeModelVersion(table, { ...tinyVersion(version), report }, TINY_WRITE_OPTIONS);
  await publishModelVersion(table, version, "trainer", NOW);
}

const recommend = (userId: string, query: Record<string, string> = {}) =>
  getRecommendations({ store, caller })(apiEvent({ pathParameters: { userId }, query }));

describe("API routes against DynamoDB Local, before any model", () => {
  beforeAll(async () => {
    table = await createTestTable("api-routes");
    store = bindApiStore(table, { candidatePool: 200 });
    caller = await callerAuthFor(table, [1, 2, 3, 4, 50, 99]);
  });

  it("health says ok with no model; model and recommendations are 404", async () => {
    const health = await getHealth({ store })(apiEvent({}));
    expect(health.statusCode).toBe(200);
    expect(bodyOf(health)).toEqual({ status: "ok", modelVersion: null });
    expect((await getModel({ store })(apiEvent({}))).statusCode).toBe(404);
    const recs = await recommend("1");
    expect(recs.statusCode).toBe(404);
    expect(bodyOf(recs).error).toBe("NotFound");
  });
});

describe("API routes against DynamoDB Local, with the tiny model", () => {
  beforeAll(async () => {
    await publish("v1");
  });

  it("recommends what the user's cluster liked and the user has not, with the reason", async () => {
    const result = await recommend("1");
    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(body.modelVersion).toBe("v1");
    expect(body.source).toBe("cluster");
    expect(body.clusterId).toBe(0);
    expect(body.items).toEqual([
      {
        movieId: 14,
        title: "Airplane! (1980)",
        genres: ["Comedy"],
        score: 0.6667,
        reason: "liked by 2 of the 3 people in your taste group",
      },
    ]);
  });

  it("filters by genre and pages with limit/offset", async () => {
    expect(bodyOf(await recommend("4")).items.map((m: { movieId: number }) => m.movieId)).toEqual([15]);
    expect(bodyOf(await recommend("4", { genre: "horror" })).items).toEqual([]);
    expect(
      bodyOf(await recommend("4", { genre: "drama" })).items.map((m: { movieId: number }) => m.movieId),
    ).toEqual([15]);
    expect(bodyOf(await recommend("4", { offset: "1" })).items).toEqual([]);
  });

  it("gives a user with no history the popular list, labelled as such", async () => {
    const body = bodyOf(await recommend("99", { limit: "2" }));
    expect(body.source).toBe("popular");
    // C = (4*4.5 + 2*4 + 3*4 + 5 + 2*3.5 + 2*4.5 + 2) / 15 = 61/15; m = 2.
    // Toy Story: 4/6*4.5 + 2/6*61/15 = 4.3556; Fargo: 2/4*4.5 + 2/4*61/15 = 4.2833.
    expect(body.items.map((m: { movieId: number }) => m.movieId)).toEqual([10, 15]);
    expect(body.items[0].score).toBe(4.356);
    expect(body.items[0].reason).toBe("popular with everyone: rated 4.5 on average by 4 people");
  });

  it("records a favourite once (201 then 200), counts it, and excludes it from recommendations", async () => {
    const post = recordFavourite({ store, caller, now: () => NOW });
    const event = apiEvent({ pathParameters: { userId: "1" }, body: JSON.stringify({ movieId: 14 }) });
    const first = await post(event);
    expect(first.statusCode).toBe(201);
    expect(bodyOf(first)).toEqual({ userId: 1, movieId: 14, created: true });
    const again = await post(event);
    expect(again.statusCode).toBe(200);
    expect(bodyOf(again).created).toBe(false);
    const trained = await post(
      apiEvent({ pathParameters: { userId: "1" }, body: JSON.stringify({ movieId: 10 }) }),
    );
    expect(trained.statusCode).toBe(200);
    expect(bodyOf(await recommend("1")).items).toEqual([]);
    const cluster = bodyOf(await getCluster({ store })(apiEvent({ pathParameters: { clusterId: "0" } })));
    expect(
      cluster.topMovies.map((m: { movieId: number; likedBy: number }) => [m.movieId, m.likedBy]),
    ).toEqual([
      [10, 3],
      [14, 3],
      [12, 2],
    ]);
  });

  it("404s an unknown movie and validates ids, limits and body size", async () => {
    const post = recordFavourite({ store, caller, now: () => NOW });
    const unknown = await post(
      apiEvent({ pathParameters: { userId: "1" }, body: JSON.stringify({ movieId: 999 }) }),
    );
    expect(unknown.statusCode).toBe(404);
    const badId = await post(
      apiEvent({ pathParameters: { userId: "0" }, body: JSON.stringify({ movieId: 10 }) }),
    );
    // The path's user 0 is nobody's: refused by the ownership check before validation.
    expect(badId.statusCode).toBe(403);
    expect(bodyOf(badId).error).toBe("Forbidden");
    const badBody = await post(
      apiEvent({ pathParameters: { userId: "1" }, body: JSON.stringify({ movieId: "10" }) }),
    );
    expect(bodyOf(badBody).field).toBe("movieId");
    const big = await post(
      apiEvent({
        pathParameters: { userId: "1" },
        body: JSON.stringify({ movieId: 10, pad: "x".repeat(1100) }),
      }),
    );
    expect(big.statusCode).toBe(413);
    const badLimit = await recommend("1", { limit: "101" });
    expect(badLimit.statusCode).toBe(400);
    expect(bodyOf(badLimit).field).toBe("limit");
  });

  it("refuses a POST that is not application/json (415) and records nothing; names repeats and arrays", async () => {
    const post = recordFavourite({ store, caller, now: () => NOW });
    const before = bodyOf(
      await listFavourites({ store, caller })(apiEvent({ pathParameters: { userId: "3" } })),
    );
    for (const headers of [{ "content-type": "text/plain" }, {}]) {
      const event = { ...apiEvent({ pathParameters: { userId: "3" }, body: '{"movieId":14}' }), headers };
      const refused = await post(event);
      expect(refused.statusCode).toBe(415);
      expect(bodyOf(refused).error).toBe("UnsupportedMediaType");
    }
    const after = bodyOf(
      await listFavourites({ store, caller })(apiEvent({ pathParameters: { userId: "3" } })),
    );
    expect(after).toEqual(before);
    const array = await post(apiEvent({ pathParameters: { userId: "3" }, body: "[14]" }));
    expect(array.statusCode).toBe(400);
    expect(bodyOf(array)).toMatchObject({
      field: "body",
      message: "body must be a JSON object (got an array)",
    });
    const repeated = await getRecommendations({ store, caller })({
      ...apiEvent({ pathParameters: { userId: "1" }, query: { limit: "5,5" } }),
      rawQueryString: "limit=5&limit=5",
    });
    expect(repeated.statusCode).toBe(400);
    expect(bodyOf(repeated)).toMatchObject({
      field: "limit",
      message: "limit is given more than once; give it once",
    });
  });

  it("removes a favourite once (204 then 404), never below zero, and it stays out of the list", async () => {
    const del = removeFavourite({ store, caller, now: () => NOW });
    const event = apiEvent({ pathParameters: { userId: "2", movieId: "14" } });
    expect((await del(event)).statusCode).toBe(204);
    expect((await del(event)).statusCode).toBe(404);
    const list = bodyOf(
      await listFavourites({ store, caller })(apiEvent({ pathParameters: { userId: "2" } })),
    );
    expect(list.items.map((m: { movieId: number }) => m.movieId)).toEqual([10]);
    const cluster = bodyOf(await getCluster({ store })(apiEvent({ pathParameters: { clusterId: "0" } })));
    expect(cluster.topMovies.find((m: { movieId: number }) => m.movieId === 14).likedBy).toBe(2);
  });

  it("pages a user's favourites with an opaque cursor", async () => {
    const list = listFavourites({ store, caller });
    const first = bodyOf(await list(apiEvent({ pathParameters: { userId: "3" }, query: { limit: "2" } })));
    expect(first.items.map((m: { movieId: number }) => m.movieId)).toEqual([10, 12]);
    expect(first.items[0]).toEqual({
      movieId: 10,
      title: "Toy Story (1995)",
      genres: ["Animation", "Comedy"],
    });
    const second = bodyOf(
      await list(
        apiEvent({ pathParameters: { userId: "3" }, query: { limit: "2", cursor: first.nextCursor } }),
      ),
    );
    expect(second.items.map((m: { movieId: number }) => m.movieId)).toEqual([14]);
    expect(second.nextCursor).toBeNull();
    const bad = await list(apiEvent({ pathParameters: { userId: "3" }, query: { cursor: "nonsense" } }));
    expect(bodyOf(bad).field).toBe("cursor");
  });

  it("places a new user by closeness from recorded favourites, and keeps that placement", async () => {
    const post = recordFavourite({ store, caller, now: () => NOW });
    await post(apiEvent({ pathParameters: { userId: "50" }, body: JSON.stringify({ movieId: 11 }) }));
    const body = bodyOf(await recommend("50"));
    expect(body.source).toBe("placed-cluster");
    expect(body.clusterId).toBe(1);
    // Cluster 1's movies first, then cluster 0's at the smaller weight soft membership gives it.
    expect(body.items.map((m: { movieId: number }) => m.movieId)).toEqual([13, 15, 10, 12, 14]);
    const cluster = bodyOf(await getCluster({ store })(apiEvent({ pathParameters: { clusterId: "1" } })));
    expect(cluster.topMovies.find((m: { movieId: number }) => m.movieId === 11).likedBy).toBe(3);
  });

  it("serves the popular list, a cluster profile, the model and its report location", async () => {
    const popular = bodyOf(await getPopular({ store })(apiEvent({ query: { limit: "1", offset: "1" } })));
    expect(popular.items.map((m: { movieId: number }) => m.movieId)).toEqual([15]);
    const cluster = bodyOf(await getCluster({ store })(apiEvent({ pathParameters: { clusterId: "1" } })));
    expect(cluster.size).toBe(2);
    expect(cluster.topGenres[0]).toEqual({ genre: "Crime", count: 3 });
    expect((await getCluster({ store })(apiEvent({ pathParameters: { clusterId: "7" } }))).statusCode).toBe(
      404,
    );
    const model = bodyOf(await getModel({ store })(apiEvent({})));
    expect(model.version).toBe("v1");
    expect(model.k).toBe(2);
    expect(model.clusterSizes).toEqual([3, 2]);
    expect(model.kSelection.rule).toBe("fixed");
    expect(model.report).toEqual({ bucket: "b", jsonKey: "models/v1/k.json", svgKey: "models/v1/k.svg" });
    expect(model.trainedAt).toBe("2026-11-21T06:00:00.000Z");
  });
});
