import type { Context } from "aws-lambda";
import type { TrainingProgress } from "../../shared/domain/clustering/model.js";
import { ConflictError, ModelRefusedError, TrainingError } from "../../shared/domain/errors.js";
import type { ParallelRunner } from "../../shared/domain/parallel.js";
import type { PlausibilityPolicy } from "../../shared/domain/publishing/plausibility.js";
import type { ObjectStore, TrainingStore } from "../../shared/domain/training-ports.js";
import { startLockHeartbeat } from "./lock-heartbeat.js";
import { checkPlausibleSuccessor } from "./plausibility-gate.js";
import { publishTrainedRun, removeLeftovers, versionId } from "./publish.js";
import { readTrainingInput } from "./read-input.js";
import type { TrainingLog, TrainingMetrics } from "./telemetry.js";
import { type ClusteringSettings, trainFromInput } from "./train.js";
import { readTrigger } from "./trigger.js";

/**
 * The training run: read the input (API favourites snapshot, ratings from S3, movies), train, publish (write
 * a complete new version with its report, catch up the favourites recorded meanwhile, flip the pointer,
 * remove superseded versions). Any failure leaves the active model serving and fails the invocation.
 */

/** Training settings (from shared/config.ts): the input objects' keys and the clustering parameters. */
export interface TrainSettings extends ClusteringSettings {
  readonly ratingsKey: string;
  readonly moviesKey: string;
  /** The gate a new model passes before it replaces the active one (shared/domain/publishing/plausibility.ts). */
  readonly plausibility?: PlausibilityPolicy;
}

/** Progress of a run, for `npm start`'s output (the Lambda logs the main steps instead). */
export type RunProgress =
  | { readonly stage: "reading"; readonly rows: number }
  | { readonly stage: "writing"; readonly version: string }
  | TrainingProgress;

/** Dependencies of the training handler. */
export interface Deps {
  readonly objects: ObjectStore;
  readonly store: TrainingStore;
  readonly settings: TrainSettings;
  /** Runs the k sweep, k-means restarts and item neighbours on worker threads; absent: one thread. */
  readonly parallel?: ParallelRunner;
  readonly log: TrainingLog;
  readonly metrics: TrainingMetrics;
  /** Clock, in epoch milliseconds. */
  readonly now: () => number;
  /** A unique id for this run (lock owner, part of the version id). */
  readonly runId: () => string;
  readonly onProgress?: (progress: RunProgress) => void;
  /**
   * How long the lock holds after its last renewal before another run may take it. Default 16 min (Lambda's
   * limit is 15); it must outlast the longest synchronous stretch (training), when the heartbeat cannot beat.
   */
  readonly lockTtlMs?: number;
  /** How often the heartbeat renews the lock while the run holds it. Default a quarter of `lockTtlMs`. */
  readonly lockRenewEveryMs?: number;
  /** Stop before writing when less than this remains of the Lambda timeout. Default 60 s. */
  readonly minRemainingMs?: number;
}

/** What a successful run returns (the Lambda's result; `npm start` prints it). */
export interface TrainResult {
  readonly status: "trained";
  readonly version: string;
  readonly previousVersion: string | null;
  /** k as chosen, and the clusters left after folding small ones. */
  readonly k: number;
  readonly clusters: number;
  readonly users: number;
  readonly favourites: number;
  readonly rowsRead: number;
  readonly badRows: number;
  readonly apiFavourites: { readonly recorded: number; readonly removed: number; readonly caughtUp: number };
  readonly removedVersions: number;
  readonly report: { readonly jsonKey: string; readonly svgKey: string };
  readonly durationMs: number;
}

/** An invocation that had nothing to do (an S3 event for another key). */
export interface SkipResult {
  readonly status: "skipped";
  readonly reason: string;
}

/** The invocation: a schedule (EventBridge Scheduler), a manual invoke, or an S3 ObjectCreated event. */
export type TrainHandler = (
  event: unknown,
  context?: Pick<Context, "getRemainingTimeInMillis" | "awsRequestId">,
) => Promise<TrainResult | SkipResult>;

/** Builds the training handler. */
export function createHandler(deps: Deps): TrainHandler {
  const { store, settings, log, metrics } = deps;
  const lockTtlMs = deps.lockTtlMs ?? 16 * 60_000;
  const lockRenewEveryMs = deps.lockRenewEveryMs ?? lockTtlMs / 4;
  const minRemainingMs = deps.minRemainingMs ?? 60_000;

  return async (event, context) => {
    const invocation = readTrigger(event, settings.ratingsKey);
    if (invocation.kind === "skip") {
      log.info("training skipped", { reason: invocation.reason });
      return { status: "skipped", reason: invocation.reason };
    }
    const { trigger } = invocation;
    const startedAt = deps.now();
    const runId = deps.runId();
    const ensureTime = (next: string) => {
      const remaining = context?.getRemainingTimeInMillis();
      if (remaining !== undefined && remaining < minRemainingMs) {
        throw new TrainingError(
          `stopped before ${next}: only ${remaining} ms of the Lambda timeout left (needs ${minRemainingMs} ms); the active model keeps serving`,
        );
      }
    };

    try {
      await store.acquireTrainingLock(runId, startedAt, lockTtlMs);
    } catch (error) {
      // A burst of uploads trains once: an upload event that finds a run under way is not a failure.
      if (trigger === "s3" && error instanceof ConflictError) {
        const reason =
          "a training run is already under way (it reads the ratings as they were when it started); " +
          "an upload after that is trained by the next run";
        log.info("training skipped", { reason, runId });
        return { status: "skipped", reason };
      }
      log.error("training not started: the lock is held or unreachable", { runId, trigger, error });
      metrics.failed(deps.now() - startedAt, error instanceof Error ? error.name : "Error");
      throw error;
    }
    const heartbeat = startLockHeartbeat({
      store,
      owner: runId,
      now: deps.now,
      ttlMs: lockTtlMs,
      everyMs: lockRenewEveryMs,
      log,
    });
    let previousVersion: string | null | undefined;
    try {
      log.info("training started", {
        runId,
        trigger,
        ratingsKey: settings.ratingsKey,
        ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}),
      });
      previousVersion = await store.activeVersion();
      await removeLeftovers(deps);

      const input = await readTrainingInput(deps, settings, (rows) =>
        deps.onProgress?.({ stage: "reading", rows }),
      );
      // Training is one synchronous stretch in which no beat can fire: it starts with a whole lease.
      await heartbeat.ensureHeld("training");
      const trained = trainFromInput(input.table, settings, {
        badRows: input.parse.badRows,
        log,
        parallel: deps.parallel,
        onProgress: deps.onProgress,
      });

      await checkPlausibleSuccessor(store, previousVersion, trained.model, settings.plausibility);

      ensureTime("writing the model");
      await heartbeat.ensureHeld("writing the model");
      const trainedAtMs = deps.now();
      const version = versionId(trainedAtMs, runId);
      deps.onProgress?.({ stage: "writing", version });
      const published = await publishTrainedRun(deps, {
        version,
        owner: runId,
        trainedAtMs,
        trained,
        input,
        previousVersion,
        beforePublish: async () => {
          ensureTime("publishing the model");
          await heartbeat.ensureHeld("publishing the model");
        },
      });

      const { model } = trained;
      const durationMs = deps.now() - startedAt;
      metrics.succeeded({
        durationMs,
        rowsRead: input.parse.rowsRead,
        badRows: input.parse.badRows,
        users: model.stats.users,
        favourites: model.stats.favourites,
        apiFavourites: input.api.recorded.length,
        k: model.kSelection.chosenK,
        inertia: model.inertia,
      });
      return {
        status: "trained",
        version,
        previousVersion,
        k: model.kSelection.chosenK,
        clusters: model.clusters.length,
        users: model.stats.users,
        favourites: model.stats.favourites,
        rowsRead: input.parse.rowsRead,
        badRows: input.parse.badRows,
        apiFavourites: {
          recorded: input.api.recorded.length,
          removed: input.api.removed.length,
          caughtUp: published.caughtUp,
        },
        removedVersions: published.removedVersions,
        report: published.report,
        durationMs,
      };
    } catch (error) {
      const durationMs = deps.now() - startedAt;
      if (error instanceof ModelRefusedError) {
        const outcome = previousVersion ? "the active model keeps serving" : "there is still no model";
        log.error(`training refused: the new model is not plausible; ${outcome}`, {
          runId,
          trigger,
          durationMs,
          candidate: error.candidate,
          active: error.active,
          reason: error.message,
        });
        metrics.refused(durationMs);
        throw error;
      }
      log.error(
        previousVersion === null
          ? "training failed; there is no model yet"
          : "training failed; the active model keeps serving",
        { runId, trigger, durationMs, error },
      );
      metrics.failed(durationMs, error instanceof Error ? error.name : "Error");
      throw error;
    } finally {
      await heartbeat.stop();
      await store.releaseTrainingLock(runId).catch((error: unknown) => {
        log.warn("could not release the training lock; it expires by itself", { runId, error });
      });
    }
  };
}
