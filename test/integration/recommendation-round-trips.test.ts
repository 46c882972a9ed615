/**
 * GET /users/{userId}/recommendations reads the store in two round trips on a warm instance, even when a
 * movie only the favourites' neighbours bring is ranked (its title and genres come from the catalogue the
 * catalogue routes cache per version) and when favourites recorded since training started counts without a
 * training-time global count. Every call is counted on a real DynamoDB Local client by a middleware; a round
 * trip is a call that started after another had ended (the depth of the chain of calls).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import { bindCatalogueReader } from "../../shared/adapters/dynamo-catalogue-reader.js";
import { DEFAULT_CLIENT_TIMING, type TableRef } from "../../shared/adapters/dynamo-client.js";
import { recordFavourite } from "../../shared/adapters/dynamo-favourite-writer.js";
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

/** Cluster 0 = users 1-3 (movies 10, 12, 14); cluster 1 = users 4, 5 (11, 13, 15). */
const FAVOURITES = { 1: [10], 2: [10, 12], 3: [10, 14], 4: [11, 13], 5: [11, 15] };

/** Movie 10's neighbours: 14 (0.8) and 15 (0.5; Fargo, Crime, in no count of cluster 0). */
const NEIGHBOURS: ItemNeighbours = {
  movieIds: Int32Array.from([10, 14, 15]),
  favourites: Int32Array.from([3, 1, 1]),
  offsets: Int32Array.from([0, 2, 3, 4]),
  neighbours: Int32Array.from([14, 15, 10, 10]),
  similarities: Float32Array.from([0.8, 0.5, 0.8, 0.5]),
  together: Int32Array.from([1, 0, 1, 0]),
};

interface Call {
  readonly command: string;
  readonly start: number;
  readonly end: number;
  /** A Query's ProjectionExpression. */
  readonly projection?: string;
}

/** The number of round trips: the longest chain of calls each started after the one before it ended. */
function roundTrips(calls: readonly Call[]): number {
  const depth = new Map<Call, number>();
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    const before = calls.filter((c) => c.end < call.start).map((c) => depth.get(c) ?? 1);
    depth.set(call, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

let table: TableRef;
let counted: TableRef;
const calls: Call[] = [];

describe("the recommendation route's store round trips", () => {
  beforeAll(async () => {
    table = await createTestTable("round-trips");
    await acquireTrainingLock(table, "t", NOW, 60_000);
    await beginModelVersion(table, "v1", "t", NOW);
    await writeModelVersion(
      table,
      {
        ...tinyVersion("v1"),
        model: modelFrom({ 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, FAVOURITES),
        favourites: favouritesCsr(FAVOURITES),
        neighbours: NEIGHBOURS,
      },
      TINY_WRITE_OPTIONS,
    );
    await publishModelVersion(table, "v1", "t", NOW);
    // Recorded since training: cluster 0's count of 16 starts without a training-time global count.
    await recordFavourite(table, 2, 16, NOW);

    const client = new DynamoDBClient({
      endpoint: inject("dynamoEndpoint"),
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: DEFAULT_CLIENT_TIMING.maxAttempts,
    });
    let clock = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const start = clock++;
        try {
          return await next(args);
        } finally {
          const projection = (args.input as { ProjectionExpression?: string }).ProjectionExpression;
          calls.push({
            command: String(context.commandName),
            start,
            end: clock++,
            ...(projection === undefined ? {} : { projection }),
          });
        }
      },
      { step: "initialize", name: "countStoreCalls" },
    );
    counted = { ...table, client };
  });

  it("two round trips when warm, with a neighbour-only movie named and kept by the genre filter", async () => {
    // The caller's account link is read through the uncounted client: it is the sign-in, not the store.
    const handler = getRecommendations({
      store: bindApiStore(counted, { candidatePool: 100 }),
      catalogue: bindCatalogueReader(counted),
      caller: await callerAuthFor(table, [1]),
      neighbourWeight: 8,
    });
    const ask = async (query: Record<string, string>) => {
      calls.length = 0;
      const body = bodyOf(await handler(apiEvent({ pathParameters: { userId: "1" }, query })));
      const seen = calls.map((c) => `${c.command}@${c.start}-${c.end}`).join(" ");
      return { body, trips: roundTrips(calls), seen };
    };

    // Cold, the instance also loads the version's catalogue (its pointer read, then one Query) alongside the
    // two round trips of the user's data; the chain above can count that Query as a third.
    const cold = await ask({ genre: "Crime" });
    expect(cold.trips, cold.seen).toBeLessThanOrEqual(3);
    // Fargo came only from Toy Story's neighbours: its title and genres are the catalogue's.
    expect(cold.body.items).toEqual([
      {
        movieId: 15,
        title: "Fargo (1996)",
        genres: ["Crime", "Drama"],
        score: 8,
        reason: "because you liked Toy Story",
        similarTo: { movieId: 10, title: "Toy Story (1995)" },
      },
    ]);

    const again = await ask({ genre: "Crime" });
    expect(again.trips, again.seen).toBe(2);
    expect(again.body).toEqual(cold.body);

    const warm = await ask({ limit: "10" });
    expect(warm.trips, warm.seen).toBe(2);
    expect(warm.body.items.map((m: { movieId: number; title: string }) => [m.movieId, m.title])).toEqual([
      [14, "Airplane! (1980)"],
      [15, "Fargo (1996)"],
      [12, "Up (2009)"],
      [16, "Rare, Indeed (2001)"],
    ]);
    expect(warm.body.items.every((m: { genres: string[] }) => m.genres.length > 0)).toBe(true);
  });

  it("reads the counts without titles when the catalogue names the movies, again with them when it fails", async () => {
    const real = bindCatalogueReader(counted);
    const ask = async (catalogue: typeof real | undefined) => {
      const handler = getRecommendations({
        store: bindApiStore(counted, { candidatePool: 100 }),
        ...(catalogue ? { catalogue } : {}),
        caller: await callerAuthFor(table, [1]),
        neighbourWeight: 8,
      });
      calls.length = 0;
      const body = bodyOf(await handler(apiEvent({ pathParameters: { userId: "1" } })));
      const counts = calls.filter(
        (c) => c.command === "QueryCommand" && c.projection?.startsWith("sk, gsi1sk"),
      );
      return { body, projections: counts.map((c) => c.projection) };
    };
    const titles = (body: { items: { movieId: number; title: string; genres: string[] }[] }) =>
      body.items.map((m) => [m.movieId, m.title, m.genres.length > 0]);

    const named = await ask(real);
    expect(named.projections).toEqual(["sk, gsi1sk"]);
    const without = await ask(undefined);
    expect(without.projections).toEqual(["sk, gsi1sk, title, genres"]);
    expect(titles(named.body)).toEqual(titles(without.body));
    expect(titles(named.body)[0]).toEqual([14, "Airplane! (1980)", true]);

    // A catalogue that fails to load (injected: DynamoDB Local does not fail on its own) cannot name them:
    // the counts are read again, with titles.
    const failing = {
      ...real,
      catalogueOf: async () => {
        throw new Error("the catalogue could not be read");
      },
    };
    const reread = await ask(failing);
    expect(reread.projections).toEqual(["sk, gsi1sk", "sk, gsi1sk, title, genres"]);
    expect(titles(reread.body)).toEqual(titles(without.body));
  });
});
