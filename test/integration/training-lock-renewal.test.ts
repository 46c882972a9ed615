import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrainResult } from "../../functions/train-model/create-handler.js";
import { createTableRef, getItem } from "../../shared/adapters/dynamo-client.js";
import { LOCK_SK, MODEL_PK } from "../../shared/adapters/dynamo-keys.js";
import { acquireTrainingLock, releaseTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { readVersionMeta } from "../../shared/adapters/dynamo-version-meta.js";
import { ConflictError, TrainingError } from "../../shared/domain/errors.js";
import type { TrainingStore } from "../../shared/domain/training-ports.js";
import { type LocalSystem, moviesCsv, ratingsCsv, startLocalSystem } from "../helpers/local-system.js";

/**
 * The training lock's heartbeat against DynamoDB Local, with a lease of seconds instead of 16 minutes: a run
 * longer than its lease keeps the lock (another run cannot take it) and publishes; a run that lost its lock to
 * another run publishes nothing and leaves the other run's lock alone; the heartbeat stops with the run.
 */

/** Two groups of three users (movies 1-2 and 3-4). */
const RATINGS = ratingsCsv(
  [1, 2, 3, 4, 5, 6].flatMap((user) =>
    (user <= 3 ? [1, 2] : [3, 4]).map((movie) => [user, movie, 5] as const),
  ),
);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The system's store, watched: when the lock was last taken or renewed (and how often), and a pause after the
 * version's items are written (`whileWriting`), where a long run spends its time.
 */
function watchedStore(system: LocalSystem, whileWriting: () => Promise<void>) {
  const seen = { renewals: 0, lastHeldAt: 0 };
  const store: TrainingStore = {
    ...system.store,
    acquireTrainingLock: async (owner, nowMs, ttlMs) => {
      await system.store.acquireTrainingLock(owner, nowMs, ttlMs);
      seen.lastHeldAt = nowMs;
    },
    renewTrainingLock: async (owner, nowMs, ttlMs) => {
      await system.store.renewTrainingLock(owner, nowMs, ttlMs);
      seen.renewals++;
      seen.lastHeldAt = nowMs;
    },
    writeModelVersion: async (input) => {
      await system.store.writeModelVersion(input);
      await whileWriting();
    },
  };
  return { store, seen };
}

describe("the training lock is renewed while a run holds it", () => {
  let system: LocalSystem;
  let first: TrainResult;
  const table = () => createTableRef(system.config);
  const lockOwner = async () =>
    (await getItem(table(), { pk: MODEL_PK, sk: LOCK_SK }, { consistent: true }))?.owner?.S ?? null;
  const activeVersion = async () => (await system.request("GET", "/health")).body.modelVersion;

  beforeAll(async () => {
    system = await startLocalSystem("lock-renewal", {
      CINECLUSTER_K: "2",
      CINECLUSTER_MIN_CLUSTER_SIZE: "1",
    });
    await system.put(system.config.ratingsKey, RATINGS);
    await system.put(system.config.moviesKey, moviesCsv(4));
    first = (await system.train()) as TrainResult;
  });
  afterAll(() => system.close());

  it("a run longer than its lease keeps the lock (another run cannot take it) and publishes", async () => {
    const ttlMs = 3_000;
    let intruder: unknown;
    const { store, seen } = watchedStore(system, async () => {
      // Past the end of the lease the run first took: without renewal another run could take the lock now.
      const acquiredAt = Date.now();
      await wait(ttlMs + 1_000);
      expect(Date.now()).toBeGreaterThan(acquiredAt + ttlMs);
      intruder = await acquireTrainingLock(table(), "intruder", Date.now(), ttlMs).catch((e: unknown) => e);
    });
    const trained = (await system.train({ store, lockTtlMs: ttlMs, lockRenewEveryMs: 300 })) as TrainResult;

    expect(intruder).toBeInstanceOf(ConflictError);
    expect(seen.renewals).toBeGreaterThanOrEqual(3);
    expect(trained).toMatchObject({ status: "trained", previousVersion: first.version, users: 6 });
    expect(await activeVersion()).toBe(trained.version);
    // The run released its lock, and the heartbeat stopped with it: no renewal after the run ended.
    expect(await lockOwner()).toBeNull();
    const renewalsAtEnd = seen.renewals;
    await wait(1_000);
    expect(seen.renewals).toBe(renewalsAtEnd);
    first = trained;
  });

  it("a run that lost its lock to another run publishes nothing and leaves that run's lock alone", async () => {
    const ttlMs = 1_000;
    let pending = "";
    const { store, seen } = watchedStore(system, async () => {
      // A stretch longer than the lease with no beat (as a long synchronous training stage would be):
      // the lease lapses and another run takes the lock.
      await wait(Math.max(0, seen.lastHeldAt + ttlMs - Date.now()) + 500);
      await acquireTrainingLock(table(), "intruder", Date.now(), 60_000);
    });
    const failing: TrainingStore = {
      ...store,
      beginModelVersion: async (version, owner, nowMs) => {
        pending = version;
        await store.beginModelVersion(version, owner, nowMs);
      },
    };
    try {
      const error = await system
        .train({ store: failing, lockTtlMs: ttlMs, lockRenewEveryMs: 60_000 })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(TrainingError);
      expect((error as Error).message).toBe(
        `stopped before publishing the model: the training lock was lost to another run (this run outlived its lease of ${ttlMs} ms); nothing was published`,
      );
      expect((error as Error).cause).toBeInstanceOf(ConflictError);
      expect(system.metricEvents.at(-1)).toBe("TrainingFailed");
      expect(await activeVersion()).toBe(first.version);
      expect(await lockOwner()).toBe("intruder");
    } finally {
      await releaseTrainingLock(table(), "intruder");
    }

    // The next run removes the version the refused run wrote and publishes.
    const next = (await system.train()) as TrainResult;
    expect(next).toMatchObject({ status: "trained", previousVersion: first.version });
    expect(await activeVersion()).toBe(next.version);
    expect(await readVersionMeta(table(), pending)).toBeNull();
  });
});
