import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
// s3rver ships no type declarations; the small surface used here is typed below.
import S3rverModule from "s3rver";

interface S3rverInstance {
  run(): Promise<{ port: number; address: string }>;
  close(): Promise<void>;
  /** The node:http server s3rver listens with (set by run()). */
  readonly httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = S3rverModule as unknown as S3rverConstructor;

/** A running s3rver instance on loopback. */
export interface S3Local {
  readonly endpoint: string;
  readonly port: number;
  /** Resolves when its HTTP server closes, stopped or not (s3rver runs in this process: only a fault does that). */
  readonly exited: Promise<string>;
  /** Stops the server; removes its data folder when it was a temporary one. */
  stop(): Promise<void>;
}

/** Options for {@link startS3Local}. */
export interface S3LocalOptions {
  /** Folder for bucket data; a temporary folder (removed on stop) when absent. */
  readonly dataDir?: string;
  /** Port to bind; a free one when absent. */
  readonly port?: number;
  /** Buckets to create at start. */
  readonly buckets?: readonly string[];
}

/** Starts s3rver on 127.0.0.1 and resolves once it listens. */
export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  const temporary = options.dataDir === undefined;
  const directory = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "cinecluster-s3-"));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const { port } = await server.run();
  const exited = new Promise<string>((resolve) => {
    server.httpServer?.once("close", () => resolve("its HTTP server closed"));
    server.httpServer?.once("error", (error) => resolve(`error ${error.message}`));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    exited,
    stop: async () => {
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
