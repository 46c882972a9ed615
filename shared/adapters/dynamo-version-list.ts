import type { VersionSummary } from "../domain/training-ports.js";
import type { TableRef } from "./dynamo-client.js";
import { queryAll } from "./dynamo-client.js";
import { readOptionalN, S } from "./dynamo-codec.js";
import { MODEL_PK, VERSION_SK_PREFIX } from "./dynamo-keys.js";
import { readPointer } from "./dynamo-pointer.js";
import { parseVersionMeta } from "./dynamo-version-meta.js";

/** Every stored model version, oldest first (version ids sort by training time), strongly consistent. */
export async function listModelVersions(table: TableRef): Promise<VersionSummary[]> {
  const [pointer, items] = await Promise.all([
    readPointer(table),
    queryAll(table, {
      keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
      values: { ":pk": S(MODEL_PK), ":prefix": S(VERSION_SK_PREFIX) },
      consistent: true,
    }),
  ]);
  return items
    .map((item) => ({ ...parseVersionMeta(item), liveAt: readOptionalN(item, "liveAt") ?? null }))
    .map(({ version, state, info, liveAt }) => ({
      version,
      state,
      trainedAt: info.trainedAt,
      k: info.k,
      users: info.users,
      favourites: info.stats.favourites,
      active: pointer.active?.version === version,
      pending: pointer.pending?.version === version,
      liveAt,
      report: info.report ? { jsonKey: info.report.jsonKey, svgKey: info.report.svgKey } : null,
    }))
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/**
 * The versions a cleanup keeps: the active and pending ones, and the most recently live others (by liveAt),
 * `kept` in all with the active one. A version never made live (a run that failed before its flip) is not
 * kept unless it is pending.
 */
export function versionsToKeep(versions: readonly VersionSummary[], kept: number): Set<string> {
  const keep = new Set(versions.filter((v) => v.active || v.pending).map((v) => v.version));
  const wasLive = versions
    .filter((v) => !v.active && !v.pending && v.state === "complete" && v.liveAt !== null)
    .sort((a, b) => b.liveAt! - a.liveAt! || (a.version < b.version ? 1 : -1));
  const hasActive = versions.some((v) => v.active);
  for (const v of wasLive.slice(0, Math.max(0, kept - (hasActive ? 1 : 0)))) keep.add(v.version);
  return keep;
}
