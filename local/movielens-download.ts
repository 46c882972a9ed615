import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";

/** GroupLens' small MovieLens dataset (100k ratings, ~1 MB zipped). */
export const MOVIELENS_SMALL_URL = "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip";

/** Where `npm run dataset:movielens` puts the files and `npm start -- --dataset movielens` looks for them. */
export const MOVIELENS_DIR = path.resolve(
  import.meta.dirname,
  "..",
  ".local-data",
  "datasets",
  "ml-latest-small",
);

/** The files `npm start -- --dataset movielens` trains on. */
export const MOVIELENS_FILES = ["ratings.csv", "movies.csv"] as const;

/** Extracted too when the archive has it: IMDb and TMDb ids for the movie pages. */
export const MOVIELENS_OPTIONAL_FILES = ["links.csv"] as const;

/** A download or unzip that did not produce the dataset; the message says what went wrong and where. */
export class DownloadError extends Error {
  override readonly name = "DownloadError";
}

/** Options for {@link downloadMovieLens}. */
export interface DownloadOptions {
  /** Folder that receives ratings.csv and movies.csv. */
  readonly destDir: string;
  /** Zip to download; GroupLens' ml-latest-small when absent (tests pass a local server's URL). */
  readonly url?: string;
  /** A larger download is aborted. Default 100 MB (ml-latest-small is ~1 MB). */
  readonly maxBytes?: number;
  /** Called as bytes arrive; `total` is the Content-Length when the server sent one. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Aborts a stalled download. Default 120 s. */
  readonly timeoutMs?: number;
}

/** What was written. */
export interface DownloadResult {
  readonly files: Record<(typeof MOVIELENS_FILES)[number], string>;
  readonly zipBytes: number;
}

/** True when both dataset files are already in `destDir`. */
export function hasMovieLens(destDir: string): boolean {
  return MOVIELENS_FILES.every((name) => existsSync(path.join(destDir, name)));
}

/**
 * Downloads the MovieLens zip (streamed to disk, never held whole in memory), checks status and size, and
 * extracts ratings.csv and movies.csv into `destDir`. Files appear only when both were extracted in full.
 */
export async function downloadMovieLens(options: DownloadOptions): Promise<DownloadResult> {
  const url = options.url ?? MOVIELENS_SMALL_URL;
  const maxBytes = options.maxBytes ?? 100 * 1024 * 1024;
  mkdirSync(options.destDir, { recursive: true });
  const zipPath = path.join(options.destDir, ".download.zip.partial");
  try {
    const zipBytes = await downloadTo(url, zipPath, maxBytes, options);
    const files = await extract(zipPath, options.destDir, url);
    return { files, zipBytes };
  } finally {
    rmSync(zipPath, { force: true });
  }
}

async function downloadTo(
  url: string,
  file: string,
  maxBytes: number,
  options: DownloadOptions,
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
  } catch (error) {
    throw new DownloadError(`Could not reach ${url}: ${reason(error)}. Check the internet connection.`, {
      cause: error,
    });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(
      `Downloading ${url} failed: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  const declared = response.headers.get("content-length");
  const total = declared === null ? undefined : Number(declared);
  if (total !== undefined && total > maxBytes) {
    await response.body.cancel();
    throw new DownloadError(`${url} is ${total} bytes, more than the ${maxBytes}-byte limit`);
  }
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) {
        callback(new DownloadError(`${url} sent more than the ${maxBytes}-byte limit`));
        return;
      }
      options.onProgress?.(received, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(file),
    );
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`Downloading ${url} broke off after ${received} bytes: ${reason(error)}`, {
      cause: error,
    });
  }
  if (total !== undefined && received !== total) {
    throw new DownloadError(`Downloading ${url} broke off: got ${received} of ${total} bytes`);
  }
  return received;
}

/** Streams the zip through fflate's Unzip and writes the wanted entries (matched by base name) to disk. */
async function extract(zipPath: string, destDir: string, url: string): Promise<DownloadResult["files"]> {
  const wanted = new Set<string>([...MOVIELENS_FILES, ...MOVIELENS_OPTIONAL_FILES]);
  const partial = new Map<string, string>();
  const done = new Set<string>();
  const open = new Map<string, number>();
  let failure: unknown;
  const unzip = new Unzip((file) => {
    const base = path.posix.basename(file.name);
    if (!wanted.has(base) || partial.has(base)) return;
    const target = path.join(destDir, `.${base}.partial`);
    partial.set(base, target);
    open.set(base, openSync(target, "w"));
    file.ondata = (error, chunk, final) => {
      const fd = open.get(base)!;
      if (error) {
        failure ??= error;
        return;
      }
      writeSync(fd, chunk);
      if (final) {
        closeSync(fd);
        open.delete(base);
        done.add(base);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for await (const chunk of createReadStream(zipPath)) {
      unzip.push(chunk as Buffer);
      if (failure) break;
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (error) {
    failure ??= error;
  } finally {
    for (const fd of open.values()) closeSync(fd);
  }
  const missing = MOVIELENS_FILES.filter((name) => !done.has(name));
  if (failure || missing.length > 0) {
    for (const target of partial.values()) rmSync(target, { force: true });
    const why = failure
      ? `it is not a readable zip (${reason(failure)})`
      : `it has no ${missing.join(" or ")}`;
    throw new DownloadError(`The archive from ${url} cannot be used: ${why}`, { cause: failure });
  }
  const files = {} as Record<(typeof MOVIELENS_FILES)[number], string>;
  for (const name of MOVIELENS_FILES) {
    files[name] = path.join(destDir, name);
    renameSync(partial.get(name)!, files[name]);
  }
  for (const name of MOVIELENS_OPTIONAL_FILES) {
    const target = partial.get(name);
    if (target !== undefined && done.has(name)) renameSync(target, path.join(destDir, name));
    else if (target !== undefined) rmSync(target, { force: true });
  }
  return files;
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
