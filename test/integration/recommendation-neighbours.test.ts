import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import type { DynamoSender, TableRef } from "../../shared/adapters/dynamo-client.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import type { ItemNeighbours } from "../../shared/domain/ranking/item-neighbours.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { favouritesCsr, modelFrom, TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

/** Cluster 0 = users 1, 2, 3 with counts 10:3, 12:1, 14:1; user 1 (only 10) ties 12 and 14 on the group part. */
const FAVOURITES = { 1: [10], 2: [10, 12], 3: [10, 14], 4: [11] };

/** Movie 10's neighbours: 14 (0.8) and 12 (0.2); 12's and 14's: 10. */
const NEIGHBOURS: ItemNeighbours = {
  movieIds: Int32Array.from([10, 11, 12, 14]),
  favourites: Int32Array.from([3, 1, 1, 1]),
  offsets: Int32Array.from([0, 2, 2, 3, 4]),
  neighbours: Int32Array.from([14, 12, 10, 10]),
  similarities: Float32Array.from([0.8, 0.2, 0.2, 0.8]),
  together: Int32Array.from([1, 1, 1, 1]),
};

let table: TableRef;

describe("the ranking's item-neighbour blend, from neighbours stored with the version", () => {
  beforeAll(async () => {
    table = await createTestTable("neighbours");
    await acquireTrainingLock(table, "t", NOW, 60_000);
    await beginModelVersion(table, "v1", "t", NOW);
    await writeModelVersion(
      table,
      {
        ...tinyVersion("v1"),
        model: modelFrom({ 1: 0, 2: 0, 3: 0, 4: 1 }, FAVOURITES),
        favourites: favouritesCsr(FAVOURITES),
        neighbours: NEIGHBOURS,
      },
      TINY_WRITE_OPTIONS,
    );
    await publishModelVersion(table, "v1", "t", NOW);
  });

  const recommend = async (neighbourWeight: number) => {
    const store = bindApiStore(table, { candidatePool: 100 });
    const handler = getRecommendations({ store, caller: await callerAuthFor(table, [1]), neighbourWeight });
    return bodyOf(await handler(apiEvent({ pathParameters: { userId: "1" } }))).items;
  };

  it("without the blend, a tie on the group part goes to the smaller movie id", async () => {
    const items = await recommend(0);
    expect(items.map((m: { movieId: number; score: number }) => [m.movieId, m.score])).toEqual([
      [12, 0.3333],
      [14, 0.3333],
    ]);
    expect(items[0].similarTo).toBeUndefined();
  });

  it("with weight 0.5, the neighbour of the user's favourite comes first: 1 + 0.5 x 0.8/0.8 vs 1 + 0.5 x 0.2/0.8", async () => {
    const items = await recommend(0.5);
    expect(items.map((m: { movieId: number; score: number }) => [m.movieId, m.score])).toEqual([
      [14, 1.5],
      [12, 1.125],
    ]);
    expect(items.map((m: { similarTo: unknown }) => m.similarTo)).toEqual([
      { movieId: 10, title: "Toy Story (1995)" },
      { movieId: 10, title: "Toy Story (1995)" },
    ]);
    // The reason names the favourite that led to the movie by title, with real counts (user 3 liked both 10
    // and 14), then the group that counted it: the user's own.
    expect(items[0].reason).toBe(
      "because you liked Toy Story: 1 of the 3 people who liked it also liked this; liked by 1 of the 3 people in your taste group",
    );
  });

  it("a warm instance reads a version's neighbours once, then from memory, with the same answer", async () => {
    const kinds: string[] = [];
    const counting = {
      send: (command: { constructor: { name: string } }) => {
        kinds.push(command.constructor.name);
        return (table.client.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as DynamoSender;
    const store = bindApiStore({ ...table, client: counting }, { candidatePool: 100 });
    const handler = getRecommendations({
      store,
      caller: await callerAuthFor(table, [1]),
      neighbourWeight: 0.5,
    });
    const first = bodyOf(await handler(apiEvent({ pathParameters: { userId: "1" } })));
    const batchGets = kinds.filter((k) => k === "BatchGetItemCommand").length;
    const second = bodyOf(await handler(apiEvent({ pathParameters: { userId: "1" } })));
    expect(second).toEqual(first);
    expect(batchGets).toBe(1);
    expect(kinds.filter((k) => k === "BatchGetItemCommand")).toHaveLength(1);
  });
});
