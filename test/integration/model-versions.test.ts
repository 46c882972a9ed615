import { describe, expect, it } from "vitest";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import { catchUpPendingVersion } from "../../shared/adapters/dynamo-catch-up.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { queryAll } from "../../shared/adapters/dynamo-client.js";
import { S } from "../../shared/adapters/dynamo-codec.js";
import { snapshotFavourites } from "../../shared/adapters/dynamo-favourite-scan.js";
import { recordFavourite, removeFavourite } from "../../shared/adapters/dynamo-favourite-writer.js";
import { GLOBAL, userPk } from "../../shared/adapters/dynamo-keys.js";
import { readPointer } from "../../shared/adapters/dynamo-pointer.js";
import {
  activateVersion,
  beginModelVersion,
  markVersionReady,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock, releaseTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { removeSupersededVersions } from "../../shared/adapters/dynamo-version-cleanup.js";
import { ConflictError, NotFoundError } from "../../shared/domain/errors.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { readCounts } from "../helpers/counts-helper.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import {
  favouritesCsr,
  modelFrom,
  TINY_FAVOURITES,
  TINY_MOVIES,
  TINY_WRITE_OPTIONS,
  tinyVersion,
} from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

async function publishTiny(table: TableRef, version: string): Promise<void> {
  await acquireTrainingLock(table, "t", NOW, 600_000);
  await beginModelVersion(table, version, "t", NOW);
  await writeModelVersion(table, tinyVersion(version), TINY_WRITE_OPTIONS);
  await publishModelVersion(table, version, "t", NOW);
}

const asObject = (counts: Map<number, number>) => Object.fromEntries([...counts].filter(([, c]) => c !== 0));

describe("model versions (DynamoDB Local)", () => {
  it("reading recommendations while a new version is written never mixes two versions", async () => {
    const table = await createTestTable("no-mix");
    const store = bindApiStore(table, { candidatePool: 100 });
    const recommend = getRecommendations({ store, caller: await callerAuthFor(table, [1, 2, 3, 4, 5]) });
    const users = ["1", "2", "3", "4", "5"];
    const read = async (userId: string) => bodyOf(await recommend(apiEvent({ pathParameters: { userId } })));
    await publishTiny(table, "v1");
    const expected: Record<string, Record<string, unknown>> = { v1: {}, v2: {} };
    for (const u of users) expected.v1![u] = await read(u);
    // v2 moves user 1 into cluster 1 with users 4 and 5: a different answer for every user.
    const v2Input = {
      ...tinyVersion("v2"),
      model: modelFrom({ 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 }, TINY_FAVOURITES),
    };
    let writing = true;
    const seen: Record<string, unknown>[] = [];
    const readers = Array.from({ length: 4 }, async () => {
      let i = 0;
      while (writing) seen.push(await read(users[i++ % users.length]!));
      for (let after = 0; after < 3; after++) seen.push(await read(users[i++ % users.length]!));
    });
    await beginModelVersion(table, "v2", "t", NOW);
    await writeModelVersion(table, v2Input, TINY_WRITE_OPTIONS);
    await publishModelVersion(table, "v2", "t", NOW);
    writing = false;
    await Promise.all(readers);
    for (const u of users) expected.v2![u] = await read(u);
    expect(expected.v2!["1"]).not.toEqual({ ...(expected.v1!["1"] as object), modelVersion: "v2" });
    const versions = new Set<string>();
    for (const body of seen) {
      const version = body.modelVersion as string;
      versions.add(version);
      expect(body).toEqual(expected[version]![String(body.userId)]);
    }
    expect(versions).toEqual(new Set(["v1", "v2"]));
  });

  it("catches up favourites recorded and removed after the snapshot, counting each exactly once", async () => {
    const table = await createTestTable("catch-up");
    await publishTiny(table, "v1");
    expect(await snapshotFavourites(table)).toEqual([]);
    await recordFavourite(table, 1, 14, NOW); // after the snapshot, before the new version exists
    await beginModelVersion(table, "v2", "t", NOW);
    await recordFavourite(table, 2, 12, NOW); // while v2 is being written
    await removeFavourite(table, 3, 14, NOW); // a trained favourite removed while v2 is written
    await recordFavourite(table, 60, 13, NOW); // a new user
    await writeModelVersion(table, tinyVersion("v2"), TINY_WRITE_OPTIONS);
    await markVersionReady(table, "v2");
    await recordFavourite(table, 4, 10, NOW); // counted in v1 and v2 by the write itself
    await recordFavourite(table, 61, 15, NOW); // a new user placed in both versions
    expect(await catchUpPendingVersion(table, "v2")).toBe(4);
    expect(await catchUpPendingVersion(table, "v2")).toBe(0);
    await activateVersion(table, "v2", "t", NOW);
    expect((await readPointer(table)).active?.version).toBe("v2");
    for (const version of ["v1", "v2"]) {
      expect(asObject(await readCounts(table, version, 0))).toEqual({ 10: 3, 12: 3, 14: 2 });
      expect(asObject(await readCounts(table, version, 1))).toEqual({ 10: 1, 11: 2, 13: 2, 15: 2 });
      expect(asObject(await readCounts(table, version, GLOBAL))).toEqual({
        10: 4,
        11: 2,
        12: 3,
        13: 2,
        14: 2,
        15: 2,
      });
    }
    expect(await snapshotFavourites(table)).toEqual([
      { userId: 1, movieId: 14, state: "active", updatedAt: NOW },
      { userId: 2, movieId: 12, state: "active", updatedAt: NOW },
      { userId: 3, movieId: 14, state: "removed", updatedAt: NOW },
      { userId: 4, movieId: 10, state: "active", updatedAt: NOW },
      { userId: 60, movieId: 13, state: "active", updatedAt: NOW },
      { userId: 61, movieId: 15, state: "active", updatedAt: NOW },
    ]);
  });

  it("a retrain while favourites keep arriving leaves every count equal to the members' favourites", async () => {
    const table = await createTestTable("retrain-live");
    await publishTiny(table, "v1");
    const users = [1, 2, 3, 4, 5, 60, 61, 62, 63];
    const movies = [10, 11, 12, 13, 14, 15, 16];
    let state = 12345;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const ops = Array.from({ length: 300 }, () => ({
      add: next(3) !== 0,
      user: users[next(users.length)]!,
      movie: movies[next(movies.length)]!,
    }));
    let cursor = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (cursor < ops.length) {
        const op = ops[cursor++]!;
        if (op.add) await recordFavourite(table, op.user, op.movie, NOW);
        else
          await removeFavourite(table, op.user, op.movie, NOW).catch((error: unknown) => {
            if (!(error instanceof NotFoundError)) throw error;
          });
      }
    });
    const retrain = (async () => {
      const snapshot = await snapshotFavourites(table);
      const merged: Record<number, number[]> = {};
      for (const [u, ms] of Object.entries(TINY_FAVOURITES)) merged[Number(u)] = [...ms];
      for (const f of snapshot) {
        const set = new Set(merged[f.userId] ?? []);
        if (f.state === "active") set.add(f.movieId);
        else set.delete(f.movieId);
        merged[f.userId] = [...set];
      }
      const withFavourites = Object.entries(merged).filter(([, ms]) => ms.length > 0);
      const assign = Object.fromEntries(withFavourites.map(([u]) => [Number(u), Number(u) <= 3 ? 0 : 1]));
      const favourites = Object.fromEntries(withFavourites.map(([u, ms]) => [Number(u), ms]));
      await beginModelVersion(table, "v2", "t", NOW);
      await writeModelVersion(
        table,
        { ...tinyVersion("v2"), model: modelFrom(assign, favourites), favourites: favouritesCsr(favourites) },
        TINY_WRITE_OPTIONS,
      );
      await publishModelVersion(table, "v2", "t", NOW);
    })();
    await Promise.all([...writers, retrain]);
    expect((await readPointer(table)).active?.version).toBe("v2");
    const { readUserState } = await import("../../shared/adapters/dynamo-user-state.js");
    const { effectiveFavourites } = await import("../../shared/adapters/dynamo-user-state.js");
    const expected = new Map<string, Map<number, number>>();
    const bump = (key: string, movie: number) => {
      const map = expected.get(key) ?? new Map<number, number>();
      map.set(movie, (map.get(movie) ?? 0) + 1);
      expected.set(key, map);
    };
    for (const u of users) {
      const userState = await readUserState(table, u);
      const favourites = effectiveFavourites(userState, "v2");
      if (favourites.size === 0) continue;
      const cluster = userState.versions.get("v2")!.clusterId;
      for (const m of favourites) {
        bump(String(cluster), m);
        bump(GLOBAL, m);
      }
    }
    for (const key of ["0", "1", GLOBAL]) {
      const actual = await readCounts(table, "v2", key === GLOBAL ? GLOBAL : Number(key));
      expect(asObject(actual)).toEqual(asObject(expected.get(key) ?? new Map()));
    }
  });

  it("two training runs never write at once; a stale lock is taken over", async () => {
    const table = await createTestTable("lock");
    await acquireTrainingLock(table, "a", NOW, 60_000);
    await expect(acquireTrainingLock(table, "b", NOW + 1_000, 60_000)).rejects.toBeInstanceOf(ConflictError);
    await acquireTrainingLock(table, "a", NOW + 2_000, 60_000); // renewal by the holder
    await acquireTrainingLock(table, "b", NOW + 62_001, 60_000); // a's lock expired at NOW + 62,000
    await expect(beginModelVersion(table, "v9", "a", NOW + 62_002)).rejects.toBeInstanceOf(ConflictError);
    await releaseTrainingLock(table, "a"); // not a's any more: a no-op
    await expect(acquireTrainingLock(table, "c", NOW + 62_003, 60_000)).rejects.toBeInstanceOf(ConflictError);
    await releaseTrainingLock(table, "b");
    await acquireTrainingLock(table, "c", NOW + 62_004, 60_000);
  });

  it("removes superseded and half-written versions, keeping the active and pending ones", async () => {
    const table = await createTestTable("cleanup");
    await publishTiny(table, "v1");
    await publishTiny(table, "v2");
    await beginModelVersion(table, "v3", "t", NOW);
    await writeModelVersion(table, tinyVersion("v3"), TINY_WRITE_OPTIONS); // a run that died before publishing
    await beginModelVersion(table, "v4", "t", NOW); // the next run
    expect(await removeSupersededVersions(table)).toEqual(["v1", "v3"]);
    const userItems = await queryAll(table, {
      keyCondition: "pk = :pk",
      values: { ":pk": S(userPk(1)) },
      consistent: true,
    });
    expect(userItems.map((item) => item.sk!.S)).toEqual(["MODEL#v2"]);
    for (const version of ["v1", "v3"]) {
      expect((await readCounts(table, version, 0)).size).toBe(0);
      expect((await readCounts(table, version, GLOBAL)).size).toBe(0);
    }
    expect(asObject(await readCounts(table, "v2", 0))).toEqual({ 10: 3, 12: 2, 14: 2 });
    expect(TINY_MOVIES).toHaveLength(7);
  });
});
