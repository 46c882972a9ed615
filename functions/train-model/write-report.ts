/** The k-selection report of a version (JSON and an SVG chart) beside the model in the bucket. */
import { renderElbowSvg } from "../../shared/domain/clustering/elbow-svg.js";
import type { KSelectionReport } from "../../shared/domain/clustering/model.js";
import type { ObjectStore } from "../../shared/domain/training-ports.js";

/** Where a version's k-selection report lives in the bucket. */
export function reportKeys(version: string): { jsonKey: string; svgKey: string } {
  return { jsonKey: `models/${version}/k-selection.json`, svgKey: `models/${version}/k-selection.svg` };
}

/** Writes the version's k-selection report (JSON and chart); returns its keys. */
export async function writeReport(
  objects: ObjectStore,
  version: string,
  report: KSelectionReport,
): Promise<{ jsonKey: string; svgKey: string }> {
  const keys = reportKeys(version);
  await objects.putText(keys.jsonKey, `${JSON.stringify(report, null, 2)}\n`, "application/json");
  await objects.putText(keys.svgKey, renderElbowSvg(report), "image/svg+xml");
  return keys;
}

/** Deletes report files of every version but `keep` (all of them when keep is null). */
export async function removeReportsExcept(objects: ObjectStore, keep: readonly string[]): Promise<void> {
  const prefixes = keep.map((version) => `models/${version}/`);
  for (const key of await objects.list("models/")) {
    if (!prefixes.some((prefix) => key.startsWith(prefix))) await objects.delete(key);
  }
}
