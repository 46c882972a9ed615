import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startLockHeartbeat } from "../../../functions/train-model/lock-heartbeat.js";
import { ConflictError, StoreUnavailableError, TrainingError } from "../../../shared/domain/errors.js";

/** A renewal port that answers from a script (ok, a network fault, or the lock taken over) and records calls. */
function scriptedStore(answers: ("ok" | "network" | "lost")[]) {
  const calls: { owner: string; nowMs: number; ttlMs: number }[] = [];
  return {
    calls,
    store: {
      renewTrainingLock: async (owner: string, nowMs: number, ttlMs: number) => {
        calls.push({ owner, nowMs, ttlMs });
        const answer = answers.shift() ?? "ok";
        if (answer === "network") throw new StoreUnavailableError("UpdateItem: the store did not answer", 1);
        if (answer === "lost")
          throw new ConflictError("the training lock was lost: another run took it over");
      },
    },
  };
}

const silentLog = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe("the training lock's heartbeat", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it("renews every `everyMs` for `ttlMs` from now, and not after stop()", async () => {
    const { store, calls } = scriptedStore([]);
    const beat = startLockHeartbeat({
      store,
      owner: "run-1",
      now: Date.now,
      ttlMs: 400,
      everyMs: 100,
      log: silentLog(),
    });
    await vi.advanceTimersByTimeAsync(350);
    expect(calls).toEqual([
      { owner: "run-1", nowMs: 1_000_100, ttlMs: 400 },
      { owner: "run-1", nowMs: 1_000_200, ttlMs: 400 },
      { owner: "run-1", nowMs: 1_000_300, ttlMs: 400 },
    ]);
    await beat.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(3);
  });

  it("a network fault in a beat is logged and the next beat tries again", async () => {
    const { store, calls } = scriptedStore(["network", "ok"]);
    const log = silentLog();
    const beat = startLockHeartbeat({ store, owner: "run-1", now: Date.now, ttlMs: 400, everyMs: 100, log });
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(2);
    expect(log.warn).toHaveBeenCalledOnce();
    expect(log.warn.mock.calls[0]![0]).toBe("could not renew the training lock; trying again");
    await expect(beat.ensureHeld("publishing the model")).resolves.toBeUndefined();
    await beat.stop();
  });

  it("a lock lost in a beat stops the beats and fails the next boundary, naming it", async () => {
    const { store, calls } = scriptedStore(["lost"]);
    const beat = startLockHeartbeat({
      store,
      owner: "run-1",
      now: Date.now,
      ttlMs: 400,
      everyMs: 100,
      log: silentLog(),
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(1);
    const error = await beat.ensureHeld("writing the model").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toBe(
      "stopped before writing the model: the training lock was lost to another run (this run outlived its lease of 400 ms); nothing was published",
    );
    expect((error as Error).cause).toBeInstanceOf(ConflictError);
    expect(calls).toHaveLength(1);
    await beat.stop();
  });
});
