import { describe, expect, it } from "vitest";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { pruneCountedIn } from "../../shared/adapters/dynamo-counted-prune.js";
import { readAllFavourites } from "../../shared/adapters/dynamo-favourite-scan.js";
import { recordFavourite, removeFavourite } from "../../shared/adapters/dynamo-favourite-writer.js";
import { GLOBAL } from "../../shared/adapters/dynamo-keys.js";
import { readPointer } from "../../shared/adapters/dynamo-pointer.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { rollbackToVersion } from "../../shared/adapters/dynamo-rollback.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { effectiveFavourites, readUserState } from "../../shared/adapters/dynamo-user-state.js";
import { removeSupersededVersions } from "../../shared/adapters/dynamo-version-cleanup.js";
import { markVersionLive } from "../../shared/adapters/dynamo-version-history.js";
import { listModelVersions } from "../../shared/adapters/dynamo-version-list.js";
import { ConflictError, NotFoundError } from "../../shared/domain/errors.js";
import { readCounts } from "../helpers/counts-helper.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 11, 2, 3, 0, 0);
const USERS = [1, 2, 3, 4, 5, 60, 61];

let clock = NOW;

/** A training run's publish, as the training function does it: begin, write, publish, stamp live. */
async function publish(table: TableRef, version: string): Promise<number> {
  await beginModelVersion(table, version, "t", NOW);
  await writeModelVersion(table, tinyVersion(version), TINY_WRITE_OPTIONS);
  const { caughtUp } = await publishModelVersion(table, version, "t", NOW);
  await markVersionLive(table, version, ++clock);
  return caughtUp;
}

const nonZero = (counts: Map<number, number>) => Object.fromEntries([...counts].filter(([, c]) => c !== 0));

/**
 * The oracle: every count of `version` equals the number of its members whose favourites as of that version
 * (trained there, plus API recorded, minus API removed) include the movie; global counts likewise.
 */
async function expectExactCounts(table: TableRef, version: string): Promise<void> {
  const expected = new Map<string, Map<number, number>>();
  const bump = (key: string, movie: number) => {
    const map = expected.get(key) ?? new Map<number, number>();
    map.set(movie, (map.get(movie) ?? 0) + 1);
    expected.set(key, map);
  };
  for (const userId of USERS) {
    const state = await readUserState(table, userId);
    const favourites = effectiveFavourites(state, version);
    if (favourites.size === 0) continue;
    const cluster = state.versions.get(version)!.clusterId;
    for (const movie of favourites) {
      bump(String(cluster), movie);
      bump(GLOBAL, movie);
    }
  }
  for (const key of ["0", "1", GLOBAL]) {
    const actual = await readCounts(table, version, key === GLOBAL ? GLOBAL : Number(key));
    expect(nonZero(actual), `${version} cluster ${key}`).toEqual(nonZero(expected.get(key) ?? new Map()));
  }
}

describe("rollback to a kept version (DynamoDB Local)", { timeout: 300_000 }, () => {
  it("publish -> favourites -> rollback -> favourites -> publish: counts exact at every step", async () => {
    const table = await createTestTable("rollback");
    await acquireTrainingLock(table, "t", NOW, 600_000);
    await publish(table, "v1");
    await recordFavourite(table, 1, 14, NOW); // while v1 is live: counted in v1
    await removeFavourite(table, 2, 10, NOW); // a trained favourite removed while v1 is live
    await expectExactCounts(table, "v1");

    await publish(table, "v2");
    await recordFavourite(table, 4, 10, NOW); // while v2 is live: v1 does not count it yet
    await removeFavourite(table, 1, 14, NOW); // recorded under v1, removed under v2
    await recordFavourite(table, 60, 13, NOW); // a new user, placed in v2 only
    await recordFavourite(table, 2, 10, NOW); // removed under v1, recorded again under v2
    await expectExactCounts(table, "v2");
    expect(nonZero(await readCounts(table, "v1", GLOBAL))).toEqual({
      10: 2,
      11: 2,
      12: 2,
      13: 1,
      14: 3,
      15: 1,
    });

    const rolled = await rollbackToVersion(table, "v1", "t", NOW);
    // 4/10 added, 1/14 removed, 60/13 placed and added, 2/10 added back: four changes caught up into v1.
    expect(rolled).toEqual({ previousVersion: "v2", caughtUp: 4 });
    expect((await readPointer(table)).active?.version).toBe("v1");
    await expectExactCounts(table, "v1");
    expect(nonZero(await readCounts(table, "v1", GLOBAL))).toEqual({
      10: 4,
      11: 2,
      12: 2,
      13: 2,
      14: 2,
      15: 1,
    });

    await recordFavourite(table, 61, 15, NOW); // while v1 is live again
    await removeFavourite(table, 3, 12, NOW);
    await expectExactCounts(table, "v1");

    // The next publish (v3, trained on the file alone) catches up what differs from the file: 4/10, 60/13 and
    // 61/15 added, 3/12 removed; 1/14 (recorded, then removed) and 2/10 (removed, then recorded) need nothing.
    expect(await publish(table, "v3")).toBe(4);
    await expectExactCounts(table, "v3");
    expect(nonZero(await readCounts(table, "v3", GLOBAL))).toEqual({
      10: 4,
      11: 2,
      12: 1,
      13: 2,
      14: 2,
      15: 2,
    });
  });

  it("refuses the active version, an unknown one, and a caller without the training lock", async () => {
    const table = await createTestTable("rollback-refused");
    await acquireTrainingLock(table, "t", NOW, 600_000);
    await publish(table, "v1");
    await publish(table, "v2");
    await expect(rollbackToVersion(table, "v2", "t", NOW)).rejects.toThrow(ConflictError);
    await expect(rollbackToVersion(table, "v0", "t", NOW)).rejects.toThrow(NotFoundError);
    await expect(rollbackToVersion(table, "v0", "t", NOW)).rejects.toThrow("kept versions: v1, v2");
    await expect(rollbackToVersion(table, "v1", "intruder", NOW)).rejects.toThrow(ConflictError);
    expect((await readPointer(table)).active?.version).toBe("v2");
  });

  it("keeps the newest N complete versions, drops failed runs, and prunes counted marks of removed versions", async () => {
    const table = await createTestTable("keep-n");
    await acquireTrainingLock(table, "t", NOW, 600_000);
    for (const version of ["v1", "v2", "v3"]) {
      await publish(table, version);
      await recordFavourite(table, 61, 10 + Number(version.slice(1)), NOW); // a new mark per live version
    }
    await beginModelVersion(table, "v4", "t", NOW);
    await writeModelVersion(table, tinyVersion("v4"), TINY_WRITE_OPTIONS); // a run that died before publishing
    await publish(table, "v5");
    expect((await listModelVersions(table)).map((v) => [v.version, v.active])).toEqual([
      ["v1", false],
      ["v2", false],
      ["v3", false],
      ["v4", false],
      ["v5", true],
    ]);
    expect(await removeSupersededVersions(table, 3)).toEqual(["v1", "v4"]);
    const kept = await listModelVersions(table);
    expect(kept.map((v) => v.version)).toEqual(["v2", "v3", "v5"]);
    expect((await readCounts(table, "v1", GLOBAL)).size).toBe(0);

    const before = (await readAllFavourites(table)).flatMap((f) => [...f.counted.keys()]);
    expect(before).toContain("v1");
    expect(await pruneCountedIn(table, new Set(kept.map((v) => v.version)))).toBeGreaterThan(0);
    const after = await readAllFavourites(table);
    for (const favourite of after)
      expect([...favourite.counted.keys()].every((v) => ["v2", "v3", "v5"].includes(v))).toBe(true);
    expect(await pruneCountedIn(table, new Set(kept.map((v) => v.version)))).toBe(0);
    // Rolling back to a kept version still counts exactly after the pruning.
    await rollbackToVersion(table, "v2", "t", ++clock);
    await expectExactCounts(table, "v2");
    // v2 is now the most recently live; with two kept, v5 (live just before) stays and v3 goes.
    expect(await removeSupersededVersions(table, 2)).toEqual(["v3"]);
  });
});
