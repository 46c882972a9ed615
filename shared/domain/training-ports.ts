/**
 * The training run's ports: what it asks of object storage (the ratings and movies files, its reports) and
 * of the table (lock, API favourites, publishing, cleanup), in domain terms. No SDK type appears here;
 * shared/adapters/s3-objects.ts and dynamo-training-store.ts implement them.
 */
import type { ApiFavourites } from "./input/merge-favourites.js";
import type { ModelFigures } from "./publishing/plausibility.js";
import type { ModelVersionInput } from "./publishing/version-items.js";

/** An object read as a stream, with the identity of what was read (for the model's provenance). */
export interface ObjectStream {
  readonly body: AsyncIterable<Uint8Array>;
  /** S3 version id; undefined when the bucket is not versioned (s3rver). */
  readonly versionId: string | undefined;
  readonly etag: string | undefined;
  readonly contentLength: number | undefined;
}

/** Where a write landed. */
export interface StoredObject {
  readonly key: string;
  readonly versionId: string | undefined;
  readonly etag: string | undefined;
}

/** The object storage the training function and `npm start` use. */
export interface ObjectStore {
  readonly bucket: string;
  /** Streams an object; NotFoundError when the key does not exist. Never buffers the whole object. */
  getStream(key: string): Promise<ObjectStream>;
  /** Writes a small text object (JSON, SVG) in one PutObject. */
  putText(key: string, text: string, contentType: string): Promise<StoredObject>;
  /** Uploads a stream of unknown length (multipart when large). */
  upload(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<StoredObject>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Deletes one object; deleting a missing key is not an error (S3 semantics). */
  delete(key: string): Promise<void>;
}

/** What a training run asks of the table. */
export interface TrainingStore {
  /** Takes the training lock until `nowMs + ttlMs`; ConflictError while another run holds it. */
  acquireTrainingLock(owner: string, nowMs: number, ttlMs: number): Promise<void>;
  /** Extends the lock `owner` holds to `nowMs + ttlMs`; ConflictError when another run took it over. */
  renewTrainingLock(owner: string, nowMs: number, ttlMs: number): Promise<void>;
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
  /**
   * Removes every version not kept: kept are the active and pending ones and the most recently live others
   * (versions kept for rollback, a configured number in all); returns the ids removed.
   */
  removeSupersededVersions(): Promise<readonly string[]>;
  /** Every version still stored (the active one, the pending one, and those kept for rollback). */
  storedVersions(): Promise<readonly string[]>;
}

/** One stored model version, as an operator lists them. */
export interface VersionSummary {
  readonly version: string;
  /** `writing` until every item is written, then `complete`. */
  readonly state: "writing" | "complete";
  readonly trainedAt: string;
  readonly k: number;
  readonly users: number;
  readonly favourites: number;
  /** The version readers follow now, and the one a run (or a rollback) is publishing. */
  readonly active: boolean;
  readonly pending: boolean;
  /** When a publish or rollback last made it live (epoch ms); null if it never was (a failed run). */
  readonly liveAt: number | null;
  readonly report: { readonly jsonKey: string; readonly svgKey: string | null } | null;
}
