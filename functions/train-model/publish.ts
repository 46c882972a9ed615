/**
 * Step 3 of a training run: write the trained model as a new version and make it live. Begin (the version
 * becomes pending and a half-written one a crashed run left is removed), write its report and items,
 * publish (catch up the API favourites, flip the pointer), then remove what it superseded.
 */
import { renderElbowSvg } from "../../shared/domain/clustering/elbow-svg.js";
import type { ModelVersionInput } from "../../shared/domain/publishing/version-items.js";
import type { ObjectStore, TrainingStore } from "../../shared/domain/training-ports.js";
import type { TrainingLog } from "./telemetry.js";
import type { TrainedRun } from "./train.js";
import { removeReportsExcept, writeReport } from "./write-report.js";

/** A sortable version id: UTC time of the run plus the run id. */
export function versionId(nowMs: number, runId: string): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${runId.replace(/[^A-Za-z0-9]/g, "").slice(0, 8)}`;
}

/** What publishing did. */
export interface Published {
  readonly version: string;
  readonly report: { readonly jsonKey: string; readonly svgKey: string };
  /** API favourites recorded or removed since the snapshot, counted into the new version. */
  readonly caughtUp: number;
  /** Superseded versions removed after the flip. */
  readonly removedVersions: number;
}

/** Removes what a failed run left (versions never made live, neither active nor pending) and reports of removed versions. */
export async function removeLeftovers(io: {
  readonly store: TrainingStore;
  readonly objects: ObjectStore;
  readonly log: TrainingLog;
}): Promise<void> {
  const leftovers = await io.store.removeSupersededVersions();
  await removeReportsExcept(io.objects, await io.store.storedVersions());
  if (leftovers.length > 0) io.log.info("removed versions a failed run left behind", { versions: leftovers });
}

/**
 * Publishes a trained run as `version` under the lock `owner` holds. `beforePublish` runs between writing
 * and publishing (the handler checks its remaining time there and renews the lock).
 */
export async function publishTrainedRun(
  io: {
    readonly store: TrainingStore;
    readonly objects: ObjectStore;
    readonly log: TrainingLog;
    readonly now: () => number;
  },
  run: {
    readonly version: string;
    readonly owner: string;
    readonly trainedAtMs: number;
    readonly trained: TrainedRun;
    readonly input: Pick<ModelVersionInput, "movies" | "source"> & {
      readonly links: ModelVersionInput["links"];
    };
    readonly previousVersion: string | null;
    readonly beforePublish: () => Promise<void>;
  },
): Promise<Published> {
  const { store, objects, log } = io;
  const { version, owner, trained } = run;
  await store.beginModelVersion(version, owner, io.now());
  // The pending version a crashed run left is no longer pending now: remove it before writing.
  const replaced = await store.removeSupersededVersions();
  if (replaced.length > 0) log.info("removed a half-written version of a failed run", { versions: replaced });
  const report = await writeReport(objects, version, trained.model.kSelection);
  await store.writeModelVersion({
    version,
    trainedAtMs: run.trainedAtMs,
    model: trained.model,
    favourites: trained.favourites,
    rated: trained.rated,
    chartSvg: renderElbowSvg(trained.model.kSelection),
    links: run.input.links,
    neighbours: trained.neighbours,
    movies: run.input.movies,
    source: run.input.source,
    report: { bucket: objects.bucket, jsonKey: report.jsonKey, svgKey: report.svgKey },
  });
  await run.beforePublish();
  const { caughtUp } = await store.publishModelVersion(version, owner, io.now());
  log.info("model published", { version, previousVersion: run.previousVersion, caughtUp });
  const removedVersions = (await store.removeSupersededVersions()).length;
  await removeReportsExcept(objects, await store.storedVersions());
  return { version, report, caughtUp, removedVersions };
}
