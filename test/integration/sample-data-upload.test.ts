import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uploadSampleData } from "../../local/sample-data.js";
import { createS3ObjectStore, ensureBucket } from "../../shared/adapters/s3-objects.js";
import { ValidationError } from "../../shared/domain/errors.js";
import type { ObjectStore } from "../../shared/domain/training-ports.js";

const options = {
  bucket: `sample-data-${process.pid}`,
  region: "us-east-1",
  endpoint: inject("s3Endpoint"),
  credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
};
const keys = { ratingsKey: "data/ratings.csv", moviesKey: "data/movies.csv" };
const dir = mkdtempSync(path.join(tmpdir(), "sample-data-"));
let objects: ObjectStore;
const said: string[] = [];

async function text(key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await objects.getStream(key)).body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  await ensureBucket(options);
  objects = createS3ObjectStore(options);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start's sample data upload (against s3rver)", () => {
  it("uploads a generated dataset of the asked size", async () => {
    const source = { kind: "generated", users: 20, movies: 60, ratings: 500, seed: 3 } as const;
    const result = await uploadSampleData(objects, keys, source, dir, (line) => said.push(line));
    expect(result).toEqual({
      description: "generated sample data: 20 users, 60 movies, 500 ratings (seed 3)",
      exampleUserId: 1,
    });
    const ratings = (await text(keys.ratingsKey)).trim().split("\n");
    expect(ratings[0]).toBe("userId,movieId,rating,timestamp");
    expect(ratings).toHaveLength(501);
    expect((await text(keys.moviesKey)).trim().split("\n")).toHaveLength(61);
  });

  it("streams given files byte for byte, and removes a stale movies object when none is given", async () => {
    const ratings = path.join(dir, "r.csv");
    writeFileSync(ratings, "movieId,userId,rating\r\n5,42,4.5\r\n");
    const result = await uploadSampleData(
      objects,
      keys,
      { kind: "files", ratings, movies: undefined },
      dir,
      () => {},
    );
    expect(result.exampleUserId).toBe(42);
    expect(await text(keys.ratingsKey)).toBe("movieId,userId,rating\r\n5,42,4.5\r\n");
    expect(await objects.list("data/")).toEqual([keys.ratingsKey]);
  });

  it("uses MovieLens files already downloaded into the datasets folder", async () => {
    const movielens = path.join(dir, "ml-latest-small");
    mkdirSync(movielens, { recursive: true });
    writeFileSync(
      path.join(movielens, "ratings.csv"),
      "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n",
    );
    writeFileSync(
      path.join(movielens, "movies.csv"),
      "movieId,title,genres\r\n1,Toy Story (1995),Animation\r\n",
    );
    const result = await uploadSampleData(objects, keys, { kind: "movielens" }, dir, (line) =>
      said.push(line),
    );
    expect(result).toEqual({ description: `MovieLens ml-latest-small from ${movielens}`, exampleUserId: 1 });
    expect(await text(keys.moviesKey)).toBe("movieId,title,genres\r\n1,Toy Story (1995),Animation\r\n");
    expect(said.some((line) => line.startsWith("Downloading"))).toBe(false);
  });

  it("names a missing file and its flag", async () => {
    const missing = path.join(dir, "nope.csv");
    const error = await uploadSampleData(
      objects,
      keys,
      { kind: "files", ratings: missing, movies: undefined },
      dir,
      () => {},
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(`--ratings ${missing}: no such file`);
  });
});
