/**
 * The training lock's heartbeat: while a run holds the lock it renews it every `everyMs`, so a run longer than
 * the lease (a 25M-rating file on a busy machine: reading, training and writing took more than the 16 minutes)
 * still holds it when it publishes, while a crashed run's lock still lapses one lease after its last renewal.
 *
 * The timer fires only when the event loop is free: reading from S3 and writing to DynamoDB are asynchronous,
 * but training itself is one synchronous stretch (worker threads included), so the handler also renews at the
 * boundaries (`ensureHeld`) and the lease must outlast the longest synchronous stretch.
 */
import { ConflictError, TrainingError } from "../../shared/domain/errors.js";
import type { TrainingStore } from "../../shared/domain/training-ports.js";
import type { TrainingLog } from "./telemetry.js";

/** A running heartbeat. */
export interface LockHeartbeat {
  /**
   * Renews the lock now and resolves while it is held; TrainingError (cause: the ConflictError) when it was
   * lost to another run, found now or by an earlier beat. A network fault that outlasts the retries throws too.
   */
  ensureHeld(next: string): Promise<void>;
  /** Stops renewing and waits for a renewal under way; call it before releasing the lock. */
  stop(): Promise<void>;
}

/** Starts renewing the lock `owner` holds every `everyMs`, each renewal for `ttlMs` from `now()`. */
export function startLockHeartbeat(options: {
  readonly store: Pick<TrainingStore, "renewTrainingLock">;
  readonly owner: string;
  readonly now: () => number;
  readonly ttlMs: number;
  readonly everyMs: number;
  readonly log: TrainingLog;
}): LockHeartbeat {
  const { store, owner, now, ttlMs, log } = options;
  let lost: ConflictError | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const renew = async (): Promise<void> => {
    try {
      await store.renewTrainingLock(owner, now(), ttlMs);
    } catch (error) {
      if (error instanceof ConflictError) lost ??= error;
      throw error;
    }
  };
  const lostError = (next: string) =>
    new TrainingError(
      `stopped before ${next}: the training lock was lost to another run (this run outlived its lease of ${ttlMs} ms); nothing was published`,
      { cause: lost },
    );

  const timer = setInterval(() => {
    if (lost) return;
    inFlight = renew().catch((error: unknown) => {
      // A lost lock is reported at the next boundary; a network fault is tried again at the next beat.
      if (!(error instanceof ConflictError))
        log.warn("could not renew the training lock; trying again", { runId: owner, error });
    });
  }, options.everyMs);
  // The heartbeat never keeps a process alive by itself.
  timer.unref();

  return {
    async ensureHeld(next) {
      if (lost) throw lostError(next);
      try {
        await renew();
      } catch (error) {
        if (error instanceof ConflictError) throw lostError(next);
        throw error;
      }
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
