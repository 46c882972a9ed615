import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { findFreePort } from "./free-port.js";

/** A running `moto_server` (the moto AWS emulator's HTTP server) on loopback. */
export interface MotoServer {
  /** Spelled with `localhost`: moto parses the template URL cdklocal sends and rejects 127.0.0.1. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** What the server printed (its warnings name the resource types it skipped). */
  log(): string;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Thrown when `moto_server` is not on the PATH. */
export class MotoMissingError extends Error {
  override readonly name = "MotoMissingError";
}

/** Finds an executable on a PATH string; undefined when none of its folders has it. */
export function findOnPath(command: string, searchPath: string): string | undefined {
  for (const folder of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const START_TIMEOUT_MS = 30_000;

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  exited: () => boolean,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`moto_server exited before it answered (exit code ${child.exitCode})`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s`);
}

/**
 * Starts `moto_server` on 127.0.0.1 and a free port, and resolves once it answers. Throws MotoMissingError
 * with what to install when the command is not on the PATH (moto cannot be pip-installed on every machine).
 */
export async function startMotoServer(searchPath: string): Promise<MotoServer> {
  const command = findOnPath("moto_server", searchPath);
  if (command === undefined) {
    throw new MotoMissingError(
      "`moto_server` is not on the PATH. The deploy check runs the stack on moto's server: install it with " +
        "`pip install 'moto[server]==5.2.1'` (it needs Python 3.9+), then run `npm run deploy:moto` again.",
    );
  }
  const port = await findFreePort();
  const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let exited = false;
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const endpoint = `http://localhost:${port}`;
  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    await exit;
  };
  try {
    await waitUntilAnswering(endpoint, child, () => exited);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return { endpoint, port, pid: child.pid!, log: () => output, stop };
}
