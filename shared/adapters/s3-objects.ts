import { Readable } from "node:stream";
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { NotFoundError, StoreError, ThrottledError } from "../domain/errors.js";
import type { ObjectStore } from "../domain/training-ports.js";

/** How to reach S3: the endpoint override is for s3rver / LocalStack (path-style addressing). */
export interface S3Options {
  readonly bucket: string;
  readonly region?: string;
  readonly endpoint?: string;
  /** Static credentials (local use); the default provider chain when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Creates the S3 client. Checksums are computed and validated only when an operation requires them:
 * s3rver stores the aws-chunked framing inside the object otherwise (TOOLCHAIN.md gotcha 1).
 */
function createS3Client(options: Omit<S3Options, "bucket">): S3Client {
  return new S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

function translate(error: unknown, action: string, key: string): Error {
  if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.name === "NotFound")) {
    return new NotFoundError("object", `s3 object ${key} does not exist`, { cause: error });
  }
  if (
    error instanceof S3ServiceException &&
    (error.name === "SlowDown" || error.$metadata.httpStatusCode === 503)
  ) {
    return new ThrottledError(`s3 ${action} ${key} was throttled beyond retries`, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`s3 ${action} ${key} failed: ${reason}`, { cause: error });
}

/** Creates a bucket if it does not exist yet (local stack and tests; the CDK stack owns the real one). */
export async function ensureBucket(options: S3Options & { readonly client?: S3Client }): Promise<void> {
  const client = options.client ?? createS3Client(options);
  try {
    await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists) return;
    throw translate(error, "create bucket", options.bucket);
  }
}

/** Creates an {@link ObjectStore} over one bucket; pass `client` to share one S3Client (or inject faults). */
export function createS3ObjectStore(options: S3Options & { readonly client?: S3Client }): ObjectStore {
  const client = options.client ?? createS3Client(options);
  const Bucket = options.bucket;
  return {
    bucket: Bucket,
    async getStream(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!response.Body) throw new StoreError(`s3 get ${key} returned no body`);
        return {
          body: response.Body as AsyncIterable<Uint8Array>,
          versionId: response.VersionId,
          etag: response.ETag,
          contentLength: response.ContentLength,
        };
      } catch (error) {
        throw error instanceof StoreError ? error : translate(error, "get", key);
      }
    },
    async putText(key, text, contentType) {
      try {
        const response = await client.send(
          new PutObjectCommand({ Bucket, Key: key, Body: text, ContentType: contentType }),
        );
        return { key, versionId: response.VersionId, etag: response.ETag };
      } catch (error) {
        throw translate(error, "put", key);
      }
    },
    async upload(key, body, contentType) {
      try {
        const upload = new Upload({
          client,
          params: {
            Bucket,
            Key: key,
            Body: body instanceof Readable ? body : Readable.from(body),
            ContentType: contentType,
          },
        });
        const response = await upload.done();
        return { key, versionId: response.VersionId, etag: response.ETag };
      } catch (error) {
        throw translate(error, "upload", key);
      }
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }),
          );
          for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw translate(error, "list", prefix);
      }
      return keys.sort();
    },
    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (error) {
        throw translate(error, "delete", key);
      }
    },
  };
}
