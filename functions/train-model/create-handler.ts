import type { Context } from "aws-lambda";
import type { ModelVersionInput } from "../../shared/domain/publishing/version-items.js";
import type { ObjectStore } from "../../shared/adapters/s3-objects.js";
import { ModelRefusedError, NotFoundError, TrainingError } from "../../shared/domain/errors.js";
import type { ItemNeighbours } from "../../shared/domain/ranking/item-neighbours.js";
import { type ApiFavourites, mergeApiFavourites } from "../../shared/domain/input/merge-favourites.js";
import type {
  KSelectionReport,
  TrainedModel,
  TrainingProgress,
  TrainOptions,
} from "../../shared/domain/clustering/model.js";
import type { Movie, ParseReport, RatingsTable } from "../../shared/domain/input/ratings.js";
import { buildFavouriteMatrix } from "../../shared/domain/clustering/sparse-matrix.js";
import { readMovies, readRatings } from "../../shared/io/read-ratings.js";
import { ENV } from "../../shared/env-names.js";
import {
  checkPlausible,
  DEFAULT_PLAUSIBILITY,
  type ModelFigures,
  type PlausibilityPolicy,
} from "../../shared/domain/publishing/plausibility.js";
import type { TrainingLog, TrainingMetrics } from "./telemetry.js";

/**
 * The training run: stream the ratings from S3, merge the favourites recorded and removed through the API,
 * train, write a complete new model version, catch up the favourites recorded meanwhile, flip the pointer,
 * remove superseded versions. Any failure leaves the active model serving and fails the invocation.
 */

/** What a training run asks of storage (bound to the DynamoDB table in ./deps.ts). */
export interface TrainingStore {
  /** Takes the training lock until `nowMs + ttlMs`; ConflictError while another run holds it. */
  acquireTrainingLock(owner: string, nowMs: number, ttlMs: number): Promise<void>;
  /** Releases the lock if `owner` still holds it. */
  releaseTrainingLock(owner: string): Promise<void>;
  /** The version readers follow now; null before the first model. */
  activeVersion(): Promise<string | null>;
  /** The figures of a version (users with favourites, favourites, movies, k); null when it is gone. */
  versionFigures(version: string): Promise<ModelFigures | null>;
  /** Every favourite recorded through the API (and every removal), read before the ratings. */
  snapshotApiFavourites(): Promise<ApiFavourites>;
  /** Makes `version` the pending version (invisible to readers); replaces one a crashed run left. */
  beginModelVersion(version: string, owner: string, nowMs: number): Promise<void>;
  /** Writes every item of the pending version. */
  writeModelVersion(input: ModelVersionInput): Promise<void>;
  /** Catches up what the API recorded or removed since the snapshot, then flips the pointer. */
  publishModelVersion(version: string, owner: string, nowMs: number): Promise<{ caughtUp: number }>;
  /** Removes every version that is neither active nor pending; returns their ids. */
  removeSupersededVersions(): Promise<readonly string[]>;
}

/** The training core, injected so the handler holds orchestration only. */
export interface Trainer {
  train(table: RatingsTable, options: TrainOptions): TrainedModel;
  /** The k-selection chart (SVG). */
  renderChart(report: KSelectionReport): string;
  /** Each movie's nearest co-favourite movies, for the ranking's neighbour blend. */
  neighbours(table: RatingsTable): ItemNeighbours;
}

/** Training settings (from shared/config.ts). */
export interface TrainSettings {
  readonly ratingsKey: string;
  readonly moviesKey: string;
  readonly k: number | "auto";
  readonly seed: number;
  readonly favouriteThreshold: number;
  readonly minClusterSize: number;
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
  readonly trainer: Trainer;
  readonly settings: TrainSettings;
  readonly log: TrainingLog;
  readonly metrics: TrainingMetrics;
  /** Clock, in epoch milliseconds. */
  readonly now: () => number;
  /** A unique id for this run (lock owner, part of the version id). */
  readonly runId: () => string;
  readonly onProgress?: (progress: RunProgress) => void;
  /** How long the lock holds before another run may take it. Default 16 min (Lambda's limit is 15). */
  readonly lockTtlMs?: number;
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

/** Where a version's k-selection report lives in the bucket. */
export function reportKeys(version: string): { jsonKey: string; svgKey: string } {
  return { jsonKey: `models/${version}/k-selection.json`, svgKey: `models/${version}/k-selection.svg` };
}

/** A sortable version id: UTC time of the run plus the run id. */
export function versionId(nowMs: number, runId: string): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${runId.replace(/[^A-Za-z0-9]/g, "").slice(0, 8)}`;
}

/** S3 keys named in an S3 notification event; undefined when the event is not one. */
function s3EventKeys(event: unknown): string[] | undefined {
  if (typeof event !== "object" || event === null || !("Records" in event) || !Array.isArray(event.Records)) {
    return undefined;
  }
  return (event.Records as { s3?: { object?: { key?: string } } }[]).flatMap((record) => {
    const key = record.s3?.object?.key;
    // S3 event keys are URL-encoded with '+' for spaces.
    return key === undefined ? [] : [decodeURIComponent(key.replace(/\+/g, " "))];
  });
}

/** Builds the training handler. */
export function createHandler(deps: Deps): TrainHandler {
  const { objects, store, trainer, settings, log, metrics } = deps;
  const lockTtlMs = deps.lockTtlMs ?? 16 * 60_000;
  const minRemainingMs = deps.minRemainingMs ?? 60_000;

  return async (event, context) => {
    const keys = s3EventKeys(event);
    if (keys !== undefined && !keys.includes(settings.ratingsKey)) {
      const reason = `S3 event for ${keys.join(", ") || "no key"}, not the ratings object ${settings.ratingsKey}`;
      log.info("training skipped", { reason });
      return { status: "skipped", reason };
    }
    const startedAt = deps.now();
    const runId = deps.runId();
    const trigger = keys !== undefined ? "s3" : isScheduled(event) ? "schedule" : "manual";
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
      log.error("training not started: the lock is held or unreachable", { runId, trigger, error });
      metrics.failed(deps.now() - startedAt, error instanceof Error ? error.name : "Error");
      throw error;
    }
    let previousVersion: string | null | undefined;
    try {
      log.info("training started", {
        runId,
        trigger,
        ratingsKey: settings.ratingsKey,
        ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}),
      });
      previousVersion = await store.activeVersion();
      // What a failed run left: versions neither active nor pending, and report files of any version not active.
      const leftovers = await store.removeSupersededVersions();
      await removeReportsExcept(objects, previousVersion);
      if (leftovers.length > 0)
        log.info("removed versions a failed run left behind", { versions: leftovers });

      const snapshot = await store.snapshotApiFavourites();
      const source = await objects.getStream(settings.ratingsKey);
      const { table: fileTable, report: parseReport } = await readRatings(source.body, {
        favouriteThreshold: settings.favouriteThreshold,
        onProgress: (rows) => deps.onProgress?.({ stage: "reading", rows }),
      });
      logParse(log, parseReport);
      const { table, report: merge } = mergeApiFavourites(fileTable, snapshot);
      log.info("API favourites merged", {
        recorded: snapshot.recorded.length,
        removed: snapshot.removed.length,
        ...merge,
      });
      const movies = await readMoviesIfPresent(objects, settings.moviesKey, log);

      const model = trainer.train(table, {
        k: settings.k,
        seed: settings.seed,
        minClusterSize: settings.minClusterSize,
        favouriteThreshold: settings.favouriteThreshold,
        badRows: parseReport.badRows,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
      });
      const neighbours = trainer.neighbours(table);
      log.info("model trained", {
        k: model.kSelection.chosenK,
        rule: model.kSelection.rule,
        confidence: model.kSelection.confidence,
        clusters: model.clusters.length,
        inertia: model.inertia,
        iterations: model.iterations,
        users: model.stats.users,
        favourites: model.stats.favourites,
      });

      // The gate: a truncated or wrong file must not replace a good model. Checked before anything of the
      // new version is written, so a refused version leaves nothing behind.
      const activeFigures = previousVersion === null ? null : await store.versionFigures(previousVersion);
      checkPlausible(
        {
          users: model.userIds.length,
          favourites: model.stats.favourites,
          movies: model.stats.movies,
          k: model.clusters.length,
        },
        activeFigures,
        settings.plausibility ?? DEFAULT_PLAUSIBILITY,
        ENV,
      );

      ensureTime("writing the model");
      const trainedAtMs = deps.now();
      const version = versionId(trainedAtMs, runId);
      deps.onProgress?.({ stage: "writing", version });
      await store.beginModelVersion(version, runId, deps.now());
      // The pending version a crashed run left is no longer pending now: remove it before writing.
      const replaced = await store.removeSupersededVersions();
      if (replaced.length > 0)
        log.info("removed a half-written version of a failed run", { versions: replaced });
      const report = reportKeys(version);
      await objects.putText(
        report.jsonKey,
        `${JSON.stringify(model.kSelection, null, 2)}\n`,
        "application/json",
      );
      await objects.putText(report.svgKey, trainer.renderChart(model.kSelection), "image/svg+xml");
      await store.writeModelVersion({
        version,
        trainedAtMs,
        model,
        favourites: buildFavouriteMatrix(table),
        neighbours,
        movies,
        source: { bucket: objects.bucket, key: settings.ratingsKey, versionId: source.versionId ?? null },
        report: { bucket: objects.bucket, jsonKey: report.jsonKey, svgKey: report.svgKey },
      });
      ensureTime("publishing the model");
      const { caughtUp } = await store.publishModelVersion(version, runId, deps.now());
      log.info("model published", { version, previousVersion, caughtUp });

      const removedVersions = (await store.removeSupersededVersions()).length;
      await removeReportsExcept(objects, version);
      const durationMs = deps.now() - startedAt;
      metrics.succeeded({
        durationMs,
        rowsRead: parseReport.rowsRead,
        badRows: parseReport.badRows,
        users: model.stats.users,
        favourites: model.stats.favourites,
        apiFavourites: snapshot.recorded.length,
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
        rowsRead: parseReport.rowsRead,
        badRows: parseReport.badRows,
        apiFavourites: { recorded: snapshot.recorded.length, removed: snapshot.removed.length, caughtUp },
        removedVersions,
        report,
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
      await store.releaseTrainingLock(runId).catch((error: unknown) => {
        log.warn("could not release the training lock; it expires by itself", { runId, error });
      });
    }
  };
}

function isScheduled(event: unknown): boolean {
  return typeof event === "object" && event !== null && "source" in event && event.source === "aws.scheduler";
}

function logParse(log: TrainingLog, report: ParseReport): void {
  log.info("ratings read", {
    format: report.format,
    rowsRead: report.rowsRead,
    badRows: report.badRows,
    duplicates: report.duplicates,
  });
  if (report.badRows > 0)
    log.warn("bad rating rows skipped", { badRows: report.badRows, first: report.firstBadRows });
}

/** Titles and genres are optional: a missing movies object is logged, a malformed one fails the run. */
async function readMoviesIfPresent(objects: ObjectStore, key: string, log: TrainingLog): Promise<Movie[]> {
  let stream;
  try {
    stream = await objects.getStream(key);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    log.warn("no movies object: titles and genres will be missing", { moviesKey: key });
    return [];
  }
  const { movies, report } = await readMovies(stream.body);
  log.info("movies read", { movies: movies.length, badRows: report.badRows });
  return movies;
}

/** Deletes report files of every version but `keep` (all of them when keep is null). */
async function removeReportsExcept(objects: ObjectStore, keep: string | null): Promise<void> {
  const keepPrefix = keep === null ? null : `models/${keep}/`;
  for (const key of await objects.list("models/")) {
    if (keepPrefix === null || !key.startsWith(keepPrefix)) await objects.delete(key);
  }
}
