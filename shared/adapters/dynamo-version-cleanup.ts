/**
 * Cleanup of model versions nobody reads: superseded ones, and half-written ones a failed run left. A
 * version's metadata item is deleted last, so an interrupted delete is found and finished by the next run.
 */
import { TABLE_SCHEMA } from "../constants.js";
import { batchWriteAll, runPool } from "./dynamo-batch.js";
import { deleteItem, queryAll, type TableRef } from "./dynamo-client.js";
import { type Item, readS, S } from "./dynamo-codec.js";
import { countPk, GLOBAL, SHARDS, versionKey, versionPk, versionUsersShardPk } from "./dynamo-keys.js";
import { listModelVersions, versionsToKeep } from "./dynamo-version-list.js";
import { readVersionMeta } from "./dynamo-version-meta.js";

/** Every item key of one version (count partitions, profiles, popular list, user items); metadata excluded. */
async function versionKeys(table: TableRef, version: string, clusters: number): Promise<Item[]> {
  const partitions = [
    ...Array.from({ length: clusters }, (_, c) => countPk(version, c)),
    countPk(version, GLOBAL),
    versionPk(version),
  ];
  const baseKeys = await Promise.all(
    partitions.map((pk) =>
      queryAll(table, {
        keyCondition: "pk = :pk",
        values: { ":pk": S(pk) },
        projection: "pk, sk",
        consistent: true,
      }),
    ),
  );
  const userKeys = await Promise.all(
    Array.from({ length: SHARDS }, (_, shard) =>
      queryAll(table, {
        index: TABLE_SCHEMA.countIndex.name,
        keyCondition: "gsi1pk = :pk",
        values: { ":pk": S(versionUsersShardPk(version, shard)) },
        projection: "pk, sk",
      }),
    ),
  );
  return [...baseKeys.flat(), ...userKeys.flat()].map((item) => ({
    pk: S(readS(item, "pk")),
    sk: S(readS(item, "sk")),
  }));
}

/** Deletes every item of a version, its metadata last (so an interrupted delete is finished by the next run). */
async function deleteModelVersion(table: TableRef, version: string, concurrency = 4): Promise<number> {
  const meta = await readVersionMeta(table, version).catch(() => null);
  const clusters = meta?.info.clusterSizes.length ?? 0;
  const keys = await versionKeys(table, version, clusters);
  await batchWriteAll(
    table.client,
    table.tableName,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
    { concurrency, policy: table.retry },
  );
  const key = versionKey(version);
  await deleteItem(table, { Key: { pk: S(key.pk), sk: S(key.sk) } });
  return keys.length + 1;
}

/**
 * Deletes every version a cleanup does not keep (versionsToKeep: the active and pending ones and the newest
 * complete older ones, `kept` in all with the active one; half-written versions of failed runs never).
 * Returns the versions removed, oldest first.
 */
export async function removeSupersededVersions(table: TableRef, kept = 1): Promise<string[]> {
  const versions = await listModelVersions(table);
  const keep = versionsToKeep(versions, kept);
  const stale = versions.map((v) => v.version).filter((v) => !keep.has(v));
  await runPool(
    stale.map((version) => () => deleteModelVersion(table, version)),
    1,
  );
  return stale;
}
