import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DownloadError, downloadMovieLens, hasMovieLens } from "../../../local/movielens-download.js";

const ratings = "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.0,964981247\r\n";
const movies =
  'movieId,title,genres\r\n1,Toy Story (1995),Adventure|Animation\r\n3,"Grumpier Old Men, The (1995)",Comedy\r\n';

/** A zip laid out like GroupLens': one folder holding the CSVs and a README; ratings stored uncompressed. */
const goodZip = Buffer.from(
  zipSync({
    "ml-latest-small/": {},
    "ml-latest-small/README.txt": strToU8("readme"),
    "ml-latest-small/ratings.csv": [strToU8(ratings), { level: 0 }],
    "ml-latest-small/movies.csv": strToU8(movies),
  }),
);
const noMoviesZip = Buffer.from(zipSync({ "ml-latest-small/ratings.csv": strToU8(ratings) }));

let server: Server;
let base: string;
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/good.zip") {
      response.writeHead(200, { "content-type": "application/zip", "content-length": goodZip.length });
      response.end(goodZip);
    } else if (request.url === "/no-movies.zip") {
      response.end(noMoviesZip);
    } else if (request.url === "/not-a-zip") {
      response.end("<html>captive portal</html>".repeat(10));
    } else if (request.url === "/truncated.zip") {
      response.writeHead(200, { "content-length": goodZip.length });
      response.write(goodZip.subarray(0, 100), () => response.destroy());
    } else {
      response.writeHead(404, "Not Found");
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "movielens-"));
  dirs.push(dir);
  return path.join(dir, "ml-latest-small");
}

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

describe("MovieLens download (offline, against a local server)", () => {
  it("downloads the zip and extracts ratings.csv and movies.csv byte for byte, leaving nothing else", async () => {
    const destDir = freshDir();
    const progress: number[] = [];
    const result = await downloadMovieLens({
      url: `${base}/good.zip`,
      destDir,
      onProgress: (received, total) => {
        progress.push(received);
        expect(total).toBe(goodZip.length);
      },
    });
    expect(result.zipBytes).toBe(goodZip.length);
    expect(progress[progress.length - 1]).toBe(goodZip.length);
    expect(readFileSync(path.join(destDir, "ratings.csv"), "utf8")).toBe(ratings);
    expect(readFileSync(path.join(destDir, "movies.csv"), "utf8")).toBe(movies);
    expect(readdirSync(destDir).sort()).toEqual(["movies.csv", "ratings.csv"]);
    expect(hasMovieLens(destDir)).toBe(true);
  });

  it("names the HTTP status and the URL when the server answers 404", async () => {
    const destDir = freshDir();
    const error = await failure(downloadMovieLens({ url: `${base}/missing.zip`, destDir }));
    expect(error.message).toBe(`Downloading ${base}/missing.zip failed: HTTP 404 Not Found`);
    expect(hasMovieLens(destDir)).toBe(false);
  });

  it("refuses a download larger than the size limit", async () => {
    const error = await failure(
      downloadMovieLens({ url: `${base}/good.zip`, destDir: freshDir(), maxBytes: 100 }),
    );
    expect(error.message).toBe(`${base}/good.zip is ${goodZip.length} bytes, more than the 100-byte limit`);
  });

  it("reports a connection that breaks off, and writes no dataset file", async () => {
    const destDir = freshDir();
    const error = await failure(downloadMovieLens({ url: `${base}/truncated.zip`, destDir }));
    expect(error.message).toMatch(/^Downloading http:\/\/127\.0\.0\.1:\d+\/truncated\.zip broke off/);
    expect(readdirSync(destDir)).toEqual([]);
  });

  it("reports an archive without movies.csv, and leaves no partial files", async () => {
    const destDir = freshDir();
    const error = await failure(downloadMovieLens({ url: `${base}/no-movies.zip`, destDir }));
    expect(error.message).toBe(`The archive from ${base}/no-movies.zip cannot be used: it has no movies.csv`);
    expect(readdirSync(destDir)).toEqual([]);
  });

  it("reports a body that is not a zip", async () => {
    const destDir = freshDir();
    const error = await failure(downloadMovieLens({ url: `${base}/not-a-zip`, destDir }));
    expect(error.message).toMatch(/^The archive from .*\/not-a-zip cannot be used: /);
    expect(existsSync(path.join(destDir, "ratings.csv"))).toBe(false);
  });

  it("reports an unreachable host clearly", async () => {
    const error = await failure(downloadMovieLens({ url: "http://127.0.0.1:1/x.zip", destDir: freshDir() }));
    expect(error.message).toMatch(
      /^Could not reach http:\/\/127\.0\.0\.1:1\/x\.zip: .*Check the internet connection\.$/,
    );
  });
});
