import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { TABLE_SCHEMA } from "../constants.js";
import { ConflictError, StoreError, ValidationError } from "../domain/errors.js";
import type { ItemNeighbours } from "../domain/ranking/item-neighbours.js";
import type { TrainedModel } from "../domain/clustering/model.js";
import type { Movie } from "../domain/input/ratings.js";
import { popularList, topGenres } from "../domain/ranking/popularity.js";
import { binarySearch } from "../domain/clustering/sparse-matrix.js";
import type { ModelProvenance } from "../domain/ports.js";
import { type Item, B, LN, LS, N, readS, S } from "./dynamo-codec.js";
import { deleteItem, putItem, type TableRef, updateItem } from "./dynamo-client.js";
import {
  clusterSk,
  countPk,
  GLOBAL,
  LOCK_SK,
  MODEL_PK,
  movieKey,
  movieSk,
  POINTER_SK,
  POPULAR_SK,
  SHARDS,
  userPk,
  userVersionSk,
  VERSION_SK_PREFIX,
  versionKey,
  versionPk,
  versionUsersGsiPk,
  versionUsersShardPk,
} from "./dynamo-keys.js";
import { packFloat32, packInt32 } from "./dynamo-codec.js";
import { batchWriteAll, runPool, withRetry } from "./dynamo-retry.js";
import { readPointer, queryAll } from "./dynamo-user-state.js";
import { readVersionMeta, type VersionMeta } from "./dynamo-version-meta.js";
import { catchUpPendingVersion } from "./dynamo-catch-up.js";

/** Users' favourites in CSR form (shared/domain/clustering/sparse-matrix.ts SparseMatrix satisfies it). */
export interface UserFavourites {
  /** User id of each row, ascending. */
  readonly rowIds: Int32Array;
  /** Row i's entries are colIdx[rowPtr[i] .. rowPtr[i + 1] - 1]. */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** Movie id of each column, ascending. */
  readonly colIds: Int32Array;
}

/** Everything a model version is written from. */
export interface ModelVersionInput {
  /** Letters, digits, `-` and `_`, at most 64; sortable by time is convenient (e.g. 20261121T061600Z-ab12). */
  readonly version: string;
  readonly trainedAtMs: number;
  readonly model: TrainedModel;
  /** The favourites the model was trained on (ratings file merged with API favourites). */
  readonly favourites: UserFavourites;
  readonly movies: readonly Movie[];
  readonly source: ModelProvenance["source"];
  readonly report?: ModelProvenance["report"];
  /**
   * Item neighbours from the same training data (shared/domain/ranking/item-neighbours.ts), for the ranking's
   * neighbour blend; stored on the version's global count items. Absent: recommendations rank by the groups.
   */
  readonly neighbours?: ItemNeighbours;
}

/** Options of writeModelVersion; defaults in shared/config.ts TUNABLE_DEFAULTS. */
export interface WriteVersionOptions {
  readonly clusterTopN: number;
  readonly popularMinVotes: number;
  readonly popularListSize: number;
  readonly concurrency: number;
  /** Items written so far, of the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

const VERSION_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function checkVersion(version: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw new ValidationError(
      "version",
      `version ${JSON.stringify(version)} must be 1-64 letters, digits, - or _`,
    );
  }
}

function isConditionFailure(error: unknown): boolean {
  const cause = error instanceof StoreError ? error.cause : error;
  return (
    cause instanceof ConditionalCheckFailedException ||
    (cause instanceof TransactionCanceledException &&
      (cause.CancellationReasons ?? []).some((r) => r.Code === "ConditionalCheckFailed"))
  );
}

/**
 * Takes the training lock for `ttlMs`: succeeds when nobody holds it, when it expired (a crashed run), or
 * when `owner` already holds it (renewal). ConflictError when another live run holds it.
 */
export async function acquireTrainingLock(
  table: TableRef,
  owner: string,
  nowMs: number,
  ttlMs: number,
): Promise<void> {
  try {
    await putItem(table, {
      Item: {
        pk: S(MODEL_PK),
        sk: S(LOCK_SK),
        owner: S(owner),
        lockUntil: N(nowMs + ttlMs),
        [TABLE_SCHEMA.ttlAttribute]: N(Math.ceil((nowMs + ttlMs) / 1000) + 3600),
      },
      ConditionExpression: "attribute_not_exists(pk) OR lockUntil < :now OR #owner = :owner",
      ExpressionAttributeNames: { "#owner": "owner" },
      ExpressionAttributeValues: { ":now": N(nowMs), ":owner": S(owner) },
    });
  } catch (error) {
    if (isConditionFailure(error))
      throw new ConflictError("another training run holds the lock", { cause: error });
    throw error;
  }
}

/** Releases the lock if `owner` holds it; releasing a lock someone else took over is a no-op. */
export async function releaseTrainingLock(table: TableRef, owner: string): Promise<void> {
  try {
    await deleteItem(table, {
      Key: { pk: S(MODEL_PK), sk: S(LOCK_SK) },
      ConditionExpression: "#owner = :owner",
      ExpressionAttributeNames: { "#owner": "owner" },
      ExpressionAttributeValues: { ":owner": S(owner) },
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Updates the pointer item in one transaction with a check that `owner` holds the live training lock. */
async function updatePointerUnderLock(
  table: TableRef,
  owner: string,
  nowMs: number,
  update: { readonly expression: string; readonly condition: string; readonly values: Item },
): Promise<void> {
  await withRetry(
    "TransactWriteItems",
    () =>
      table.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: table.tableName,
                Key: { pk: S(MODEL_PK), sk: S(LOCK_SK) },
                ConditionExpression: "#owner = :owner AND lockUntil >= :now",
                ExpressionAttributeNames: { "#owner": "owner" },
                ExpressionAttributeValues: { ":owner": S(owner), ":now": N(nowMs) },
              },
            },
            {
              Update: {
                TableName: table.tableName,
                Key: { pk: S(MODEL_PK), sk: S(POINTER_SK) },
                UpdateExpression: update.expression,
                ConditionExpression: update.condition,
                ExpressionAttributeValues: update.values,
              },
            },
          ],
        }),
      ),
    table.retry,
  );
}

/**
 * Marks `version` as the pending version (state `writing`), under the lock `owner` must hold. From now on
 * readers still follow the active version; a pending version left by a crashed run is replaced.
 */
export async function beginModelVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<void> {
  checkVersion(version);
  try {
    await updatePointerUnderLock(table, owner, nowMs, {
      expression: "SET pending = :version, pendingState = :writing, updatedAt = :now",
      condition: "attribute_not_exists(active) OR active <> :version",
      values: { ":version": S(version), ":writing": S("writing"), ":now": N(nowMs) },
    });
  } catch (error) {
    if (isConditionFailure(error)) {
      throw new ConflictError(
        `cannot begin ${version}: the lock is not held by ${owner}, or it is already active`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** The trained favourites of one user, ascending movie ids. */
function trainedFavourites(favourites: UserFavourites, userId: number): Int32Array {
  const row = binarySearch(favourites.rowIds, userId);
  if (row < 0) return new Int32Array(0);
  const start = favourites.rowPtr[row]!;
  const end = favourites.rowPtr[row + 1]!;
  const ids = new Int32Array(end - start);
  for (let j = start; j < end; j++) ids[j - start] = favourites.colIds[favourites.colIdx[j]!]!;
  return ids.sort();
}

/** A movie's neighbours as two binary attributes: `nb` ids (Int32 LE) and `ns` similarities (Float32 LE). */
function neighbourAttributes(neighbours: ItemNeighbours | undefined): (movieId: number) => Item {
  if (!neighbours) return () => ({});
  const index = new Map<number, number>();
  neighbours.movieIds.forEach((id, i) => index.set(id, i));
  return (movieId): Item => {
    const i = index.get(movieId);
    if (i === undefined) return {};
    const start = neighbours.offsets[i]!;
    const end = neighbours.offsets[i + 1]!;
    if (end <= start) return {};
    return {
      nb: B(packInt32(neighbours.neighbours.subarray(start, end))),
      ns: B(packFloat32(neighbours.similarities.subarray(start, end))),
    };
  };
}

function put(item: Item): WriteRequest {
  return { PutRequest: { Item: item } };
}

/** Builds every item of a version except its metadata item. Exported for the benchmark's item counts. */
export function versionItems(input: ModelVersionInput, options: WriteVersionOptions): WriteRequest[] {
  const { version, model, movies } = input;
  const byId = new Map(movies.map((movie) => [movie.movieId, movie]));
  const requests: WriteRequest[] = [];
  const ratingIndex = new Map<number, number>();
  model.movieRatings.movieIds.forEach((id, i) => ratingIndex.set(id, i));
  for (const movie of movies) {
    const key = movieKey(movie.movieId);
    const r = ratingIndex.get(movie.movieId);
    requests.push(
      put({
        pk: S(key.pk),
        sk: S(key.sk),
        title: S(movie.title),
        genres: LS(movie.genres),
        ratingCount: N(r === undefined ? 0 : model.movieRatings.counts[r]!),
        ratingMean: N(r === undefined ? 0 : Math.round(model.movieRatings.means[r]! * 1000) / 1000),
      }),
    );
  }
  const countItems = (
    cluster: number | typeof GLOBAL,
    movieIds: Int32Array,
    counts: Int32Array,
    cap: number,
    extra: (movieId: number) => Item = () => ({}),
  ) => {
    const pk = countPk(version, cluster);
    for (let i = 0; i < Math.min(cap, movieIds.length); i++) {
      const movie = byId.get(movieIds[i]!);
      requests.push(
        put({
          pk: S(pk),
          sk: S(movieSk(movieIds[i]!)),
          gsi1pk: S(pk),
          gsi1sk: N(counts[i]!),
          title: S(movie?.title ?? ""),
          genres: LS(movie?.genres ?? []),
          ...extra(movieIds[i]!),
        }),
      );
    }
  };
  // Each cluster count carries the movie's global count at training (`g`), so one GSI query gives ranking
  // both; the global count items below stay the live, exactly-once counted ones.
  const globalCount = new Map<number, number>();
  model.global.movieIds.forEach((id, i) => globalCount.set(id, model.global.counts[i]!));
  const withGlobal = (movieId: number): Item => ({ g: N(globalCount.get(movieId) ?? 0) });
  for (const cluster of model.clusters) {
    countItems(cluster.clusterId, cluster.movieIds, cluster.counts, options.clusterTopN, withGlobal);
    const genres = topGenres(cluster.movieIds, cluster.counts, (id) => byId.get(id)?.genres, 5);
    requests.push(
      put({
        pk: S(versionPk(version)),
        sk: S(clusterSk(cluster.clusterId)),
        size: N(cluster.size),
        topGenres: S(JSON.stringify(genres)),
      }),
    );
  }
  countItems(
    GLOBAL,
    model.global.movieIds,
    model.global.counts,
    Number.MAX_SAFE_INTEGER,
    neighbourAttributes(input.neighbours),
  );
  const width = model.membershipWidth;
  for (let i = 0; i < model.userIds.length; i++) {
    const userId = model.userIds[i]!;
    const clusters: number[] = [];
    const weights: number[] = [];
    for (let j = 0; j < width; j++) {
      const c = model.membershipClusters[i * width + j]!;
      if (c < 0) continue;
      clusters.push(c);
      weights.push(Math.round(model.membershipWeights[i * width + j]! * 10_000) / 10_000);
    }
    if (clusters.length === 0) {
      clusters.push(model.clusterOf[i]!);
      weights.push(1);
    }
    requests.push(
      put({
        pk: S(userPk(userId)),
        sk: S(userVersionSk(version)),
        cluster: N(model.clusterOf[i]!),
        mc: LN(clusters),
        mw: LN(weights),
        favs: B(packInt32(trainedFavourites(input.favourites, userId))),
        gsi1pk: S(versionUsersGsiPk(version, userId)),
        gsi1sk: N(userId),
      }),
    );
  }
  const popular = popularList(model.movieRatings, {
    minVotes: options.popularMinVotes,
    size: options.popularListSize,
  })
    .filter((entry) => byId.has(entry.movieId))
    .map((entry) => ({
      movieId: entry.movieId,
      title: byId.get(entry.movieId)!.title,
      genres: byId.get(entry.movieId)!.genres,
      weightedRating: Math.round(entry.weightedRating * 1000) / 1000,
      ratingCount: entry.ratingCount,
      ratingMean: Math.round(entry.ratingMean * 1000) / 1000,
    }));
  requests.push(put({ pk: S(versionPk(version)), sk: S(POPULAR_SK), list: S(JSON.stringify(popular)) }));
  return requests;
}

function metaItem(input: ModelVersionInput, state: "writing" | "complete"): Item {
  const { model } = input;
  const key = versionKey(input.version);
  const sizes = model.clusters.map((c) => c.size);
  const info = {
    trainedAt: new Date(input.trainedAtMs).toISOString(),
    k: model.clusters.length,
    kSelection: model.kSelection,
    params: model.params,
    stats: model.stats,
    inertia: model.inertia,
    iterations: model.iterations,
    clusterSizes: sizes,
    users: model.userIds.length,
    source: input.source,
  };
  return {
    pk: S(key.pk),
    sk: S(key.sk),
    state: S(state),
    info: S(JSON.stringify(info)),
    ...(input.report ? { report: S(JSON.stringify(input.report)) } : {}),
  };
}

/**
 * Writes a complete model version: its metadata (state `writing`), the catalogue, every cluster's top-N and
 * the global counts, each user's cluster, memberships and packed favourites, the popular list and cluster
 * profiles; then marks the metadata `complete`. Nothing becomes visible until publishModelVersion.
 */
export async function writeModelVersion(
  table: TableRef,
  input: ModelVersionInput,
  options: WriteVersionOptions,
): Promise<{ items: number }> {
  checkVersion(input.version);
  if (input.model.clusters.some((c, i) => c.clusterId !== i)) {
    throw new ValidationError("model.clusters", "cluster ids must be 0..k-1 in order");
  }
  const writeMeta = (state: "writing" | "complete") => putItem(table, { Item: metaItem(input, state) });
  await writeMeta("writing");
  const requests = versionItems(input, options);
  await batchWriteAll(table.client, table.tableName, requests, {
    concurrency: options.concurrency,
    policy: table.retry,
    onBatch: (written) => options.onProgress?.(written, requests.length),
  });
  await writeMeta("complete");
  return { items: requests.length + 1 };
}

/** Records where a version's k-selection report is (JSON and SVG in S3), for GET /model. */
export async function setReportLocation(
  table: TableRef,
  version: string,
  report: NonNullable<ModelProvenance["report"]>,
): Promise<void> {
  const key = versionKey(version);
  try {
    await updateItem(table, {
      Key: { pk: S(key.pk), sk: S(key.sk) },
      UpdateExpression: "SET report = :report",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":report": S(JSON.stringify(report)) },
    });
  } catch (error) {
    if (isConditionFailure(error)) throw new ValidationError("version", `version ${version} does not exist`);
    throw error;
  }
}

/** A version's metadata, which must say every item is written: ConflictError when it is missing or `writing`. */
async function completeVersionMeta(table: TableRef, version: string): Promise<VersionMeta> {
  const meta = await readVersionMeta(table, version);
  if (!meta || meta.state !== "complete")
    throw new ConflictError(`version ${version} is not completely written`);
  return meta;
}

/**
 * Marks the pending version `ready`: from now on every favourite write also counts in it (placing users it
 * has no item for), so the catch-up pass that follows cannot miss a write that happens while it runs.
 */
export async function markVersionReady(table: TableRef, version: string): Promise<void> {
  await completeVersionMeta(table, version);
  try {
    await updateItem(table, {
      Key: { pk: S(MODEL_PK), sk: S(POINTER_SK) },
      UpdateExpression: "SET pendingState = :ready",
      ConditionExpression: "pending = :version",
      ExpressionAttributeValues: { ":version": S(version), ":ready": S("ready") },
    });
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(`version ${version} is not the pending version`);
    throw error;
  }
}

/** Flips the pointer to the ready pending version in one conditional write, under the lock `owner` holds. */
export async function activateVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<void> {
  const meta = await completeVersionMeta(table, version);
  try {
    await updatePointerUnderLock(table, owner, nowMs, {
      expression:
        "SET active = :version, activeUsers = :users, activeSizes = :sizes, updatedAt = :now REMOVE pending, pendingState",
      condition: "pending = :version AND pendingState = :ready",
      values: {
        ":version": S(version),
        ":ready": S("ready"),
        ":users": N(meta.info.users),
        ":sizes": LN(meta.info.clusterSizes),
        ":now": N(nowMs),
      },
    });
  } catch (error) {
    if (isConditionFailure(error)) {
      throw new ConflictError(`flip to ${version} refused: lock lost or version no longer pending`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Makes a completely written version live: marks it ready, catches up every API favourite recorded or
 * removed since the snapshot it was trained from, then flips the pointer. Readers see the old version until
 * the flip and the new one after; no favourite recorded before the flip is missing from the new counts.
 */
export async function publishModelVersion(
  table: TableRef,
  version: string,
  owner: string,
  nowMs: number,
): Promise<{ caughtUp: number }> {
  await markVersionReady(table, version);
  const caughtUp = await catchUpPendingVersion(table, version);
  await activateVersion(table, version, owner, nowMs);
  return { caughtUp };
}

/** Every item key of one version (count partitions, profiles, popular list, user items); metadata last. */
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
export async function deleteModelVersion(table: TableRef, version: string, concurrency = 4): Promise<number> {
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

/** Deletes every version that is neither active nor pending (superseded ones, and half-written ones of failed runs). */
export async function removeSupersededVersions(table: TableRef): Promise<string[]> {
  const pointer = await readPointer(table);
  const metas = await queryAll(table, {
    keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
    values: { ":pk": S(MODEL_PK), ":prefix": S(VERSION_SK_PREFIX) },
    projection: "pk, sk",
    consistent: true,
  });
  const keep = new Set([pointer.active?.version, pointer.pending?.version]);
  const stale = metas
    .map((item) => readS(item, "sk").slice(VERSION_SK_PREFIX.length))
    .filter((v) => !keep.has(v));
  await runPool(
    stale.map((version) => () => deleteModelVersion(table, version)),
    1,
  );
  return stale;
}
