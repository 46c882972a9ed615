import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { exitOf, stopProcess } from "./dynamodb-local.js";
import { findFreePort } from "./free-port.js";
import { killWithThisProcess } from "./parent-watchdog.js";

/** A running cognito-local (Amazon Cognito user-pool emulator) on loopback. */
export interface CognitoLocal {
  /** Its API endpoint, e.g. http://127.0.0.1:41235 (also the issuer domain of its tokens). */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Resolves when the process exits, stopped or not: how it ended ("code 1", "signal SIGKILL"). */
  readonly exited: Promise<string>;
  /** Stops the process; removes its data folder when it was a temporary one. */
  stop(): Promise<void>;
}

/** Options for {@link startCognitoLocal}. */
export interface CognitoLocalOptions {
  /** Folder its user pools are kept in (under .cognito/); a temporary folder (removed on stop) when absent. */
  readonly dataDir?: string;
  /** How long to wait for it to answer. */
  readonly startTimeoutMs?: number;
}

const POLL_INTERVAL_MS = 50;

function startScript(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("cognito-local/package.json")), "lib", "bin", "start.js");
}

/**
 * Starts cognito-local 5.3 (a devDependency) as a child process bound to 127.0.0.1 on a free port, and
 * resolves once it answers. It keeps its data under `<cwd>/.cognito`, so it runs with `dataDir` as its
 * working directory. Its tokens are RS256 JWTs with issuer `<endpoint>/<userPoolId>` and a JWKS at
 * `<endpoint>/<userPoolId>/.well-known/jwks.json`.
 */
export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<CognitoLocal> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "cognito-local-"));
  mkdirSync(dataDir, { recursive: true });
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [startScript()], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exitedAs = exitOf(child);
  // It ends with this process, even when this one is killed with SIGKILL.
  const watchdog = child.pid === undefined ? undefined : killWithThisProcess(child.pid);
  let output = "";
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const removeData = () => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  const exited = new Promise<never>((_, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`cognito-local exited with code ${code} before it was ready. Output:\n${output}`)),
    );
    child.once("error", reject);
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (await Promise.race([answers(endpoint), exited])) break;
      if (Date.now() > deadline)
        throw new Error(`cognito-local did not answer on ${endpoint}. Output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } catch (error) {
    await stopProcess(child);
    watchdog?.release();
    removeData();
    throw error;
  }
  // Its request log is not needed once it runs; keep the pipes drained.
  child.stdout.off("data", collect);
  child.stderr.off("data", collect);
  child.stdout.resume();
  child.stderr.resume();
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    exited: exitedAs,
    stop: async () => {
      process.off("exit", killOnExit);
      await stopProcess(child);
      watchdog?.release();
      removeData();
    },
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
