import { ConflictError, NotFoundError } from "../domain/errors.js";
import type { TableRef } from "./dynamo-client.js";
import { beginModelVersion, publishModelVersion } from "./dynamo-publish.js";
import { markVersionLive } from "./dynamo-version-history.js";
import { listModelVersions } from "./dynamo-version-list.js";

/**
 * Makes a kept, complete version live again through the publish protocol: pending (writing), ready, catch-up
 * of every API favourite recorded or removed since that version was last live (the favourite items say
 * which versions count them), then the pointer flip. `owner` must hold the training lock. Returns the
 * previous active version and the favourites caught up.
 */
export async function rollbackToVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<{ previousVersion: string | null; caughtUp: number }> {
  const versions = await listModelVersions(table);
  const target = versions.find((v) => v.version === version);
  if (!target)
    throw new NotFoundError(
      "version",
      `version ${version} is not stored; kept versions: ${versions.map((v) => v.version).join(", ") || "none"}`,
    );
  if (target.active) throw new ConflictError(`version ${version} is already the active version`);
  if (target.state !== "complete") throw new ConflictError(`version ${version} was never completely written`);
  const previousVersion = versions.find((v) => v.active)?.version ?? null;
  await beginModelVersion(table, version, owner, nowMs);
  const { caughtUp } = await publishModelVersion(table, version, owner, nowMs);
  await markVersionLive(table, version, nowMs);
  return { previousVersion, caughtUp };
}
