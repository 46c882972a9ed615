import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { readMovies, readMoviesFile, readRatings, readRatingsFile } from "../../../shared/io/read-ratings.js";

const encode = (text: string) => new TextEncoder().encode(text);

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const dir = mkdtempSync(path.join(tmpdir(), "cinecluster-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readRatings", () => {
  it("feeds a stream to the parser chunk by chunk and reports rows read after each chunk", async () => {
    const text = "userId,movieId,rating,timestamp\n1,10,4.0,100\n1,20,3.5,200\n2,10,5,300\n";
    const progress: number[] = [];
    const { table, report } = await readRatings(chunksOf(encode(text), 16), {
      onProgress: (rows) => progress.push(rows),
    });
    expect([...table.movieIds]).toEqual([10, 20, 10]);
    expect(report.rowsRead).toBe(3);
    // 73 bytes in 16-byte chunks: rows complete at bytes 45, 58 and 72.
    expect(progress).toEqual([0, 0, 1, 2, 3]);
  });

  it("reads a file through a Node stream, with the parser's options", async () => {
    const file = path.join(dir, "ratings.csv");
    writeFileSync(file, "userId,movieId,rating\r\n7,70,3.5\r\n8,80,2.0\r\n");
    const { table } = await readRatingsFile(file, { favouriteThreshold: 3.5 });
    expect([...table.userIds]).toEqual([7, 8]);
    expect([...table.favourite]).toEqual([1, 0]);
  });

  it("reads movies from a stream and from a file", async () => {
    const text = 'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama\n';
    const expected = [{ movieId: 11, title: "American President, The (1995)", genres: ["Comedy", "Drama"] }];
    expect((await readMovies(chunksOf(encode(text), 5))).movies).toEqual(expected);
    const file = path.join(dir, "movies.csv");
    writeFileSync(file, text);
    expect((await readMoviesFile(file)).movies).toEqual(expected);
  });
});

const zip = path.resolve(import.meta.dirname, "../../../../shared/datasets/ml-latest-small.zip");

describe.skipIf(!existsSync(zip))("readRatings on the reference ml-latest-small zip (CRLF)", () => {
  const files = existsSync(zip) ? unzipSync(readFileSync(zip)) : {};

  it("reads every rating: 100,836 rows, 610 users, 9,724 movies, 48,580 at 4.0 or above", async () => {
    const bytes = files["ml-latest-small/ratings.csv"]!;
    const { table, report } = await readRatings(chunksOf(bytes, 65_536));
    expect(report).toEqual({
      format: "ratings",
      rowsRead: 100_836,
      badRows: 0,
      firstBadRows: [],
      duplicates: 0,
    });
    expect(new Set(table.userIds).size).toBe(610);
    expect(new Set(table.movieIds).size).toBe(9_724);
    expect(table.favourite.reduce((sum, f) => sum + f, 0)).toBe(48_580);
    expect([table.userIds[0], table.movieIds[0], table.ratings[0], table.timestamps[0]]).toEqual([
      1, 1, 4, 964982703,
    ]);
    const last = table.length - 1;
    expect([table.userIds[last], table.movieIds[last], table.ratings[last]]).toEqual([610, 170875, 3]);
  });

  it("reads every movie with quoted titles: 9,742 movies, 34 without genres", async () => {
    const { movies, report } = await readMovies(chunksOf(files["ml-latest-small/movies.csv"]!, 4_096));
    expect(report.badRows).toBe(0);
    expect(movies.length).toBe(9_742);
    expect(movies.filter((m) => m.genres.length === 0).length).toBe(34);
    expect(movies.find((m) => m.movieId === 11)).toEqual({
      movieId: 11,
      title: "American President, The (1995)",
      genres: ["Comedy", "Drama", "Romance"],
    });
  });
});
