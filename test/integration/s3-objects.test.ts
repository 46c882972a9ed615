import { createHash } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createS3ObjectStore, ensureBucket } from "../../shared/adapters/s3-objects.js";
import { NotFoundError } from "../../shared/domain/errors.js";
import type { ObjectStore } from "../../shared/domain/training-ports.js";

const options = {
  bucket: `s3-objects-${process.pid}`,
  region: "us-east-1",
  endpoint: inject("s3Endpoint"),
  // s3rver accepts only its own fixed key pair; DynamoDB Local accepts any letters and digits.
  credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
};
let store: ObjectStore;

async function collect(body: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

/** Deterministic pseudo-random bytes, so the upload holds no long runs a bug could hide in. */
function bytesOf(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function* inChunks(data: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

beforeAll(async () => {
  await ensureBucket(options);
  await ensureBucket(options); // idempotent
  store = createS3ObjectStore(options);
});

describe("S3 object store against s3rver", () => {
  it("stores a streamed multipart upload byte for byte and streams it back in several chunks", async () => {
    const data = bytesOf(6 * 1024 * 1024 + 123); // above lib-storage's 5 MiB part size: multipart
    const stored = await store.upload(
      "ratings/big.bin",
      inChunks(data, 64 * 1024),
      "application/octet-stream",
    );
    expect(stored.key).toBe("ratings/big.bin");
    const read = await store.getStream("ratings/big.bin");
    expect(read.contentLength).toBe(data.length);
    expect(read.etag).toBe(stored.etag);
    const { bytes, chunks } = await collect(read.body);
    expect(bytes.length).toBe(data.length);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(
      createHash("sha256").update(data).digest("hex"),
    );
    expect(chunks).toBeGreaterThan(1);
  });

  it("stores a small streamed upload (single part) byte for byte", async () => {
    const csv = "userId,movieId,rating,timestamp\r\n1,10,4.5,100\r\n";
    await store.upload("ratings/small.csv", inChunks(Buffer.from(csv), 7), "text/csv");
    const { bytes } = await collect((await store.getStream("ratings/small.csv")).body);
    expect(bytes.toString()).toBe(csv);
  });

  it("puts small text objects, lists by prefix and deletes", async () => {
    await store.putText("reports/v2/elbow.json", '{"chosenK":3}', "application/json");
    await store.putText("reports/v1/elbow.svg", "<svg/>", "image/svg+xml");
    await store.putText("reports/v1/elbow.json", "{}", "application/json");
    expect(await store.list("reports/")).toEqual([
      "reports/v1/elbow.json",
      "reports/v1/elbow.svg",
      "reports/v2/elbow.json",
    ]);
    const { bytes } = await collect((await store.getStream("reports/v2/elbow.json")).body);
    expect(JSON.parse(bytes.toString())).toEqual({ chosenK: 3 });

    await store.delete("reports/v1/elbow.svg");
    await store.delete("reports/v1/never-existed");
    expect(await store.list("reports/v1/")).toEqual(["reports/v1/elbow.json"]);
  });

  it("reports a missing key as NotFoundError naming the key", async () => {
    const error = await store.getStream("ratings/missing.csv").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe("s3 object ratings/missing.csv does not exist");
  });
});
