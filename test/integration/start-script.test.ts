import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../local/free-port.js";
import { processInfo } from "../../local/launcher-watch.js";

const root = path.resolve(import.meta.dirname, "../..");
const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const dataDir = mkdtempSync(path.join(tmpdir(), "cinecluster-start-"));

interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once `pattern` appears in the output from offset `from`; rejects if the process exits first. */
  waitFor(pattern: RegExp, from?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `npm start`'s script as a child process, as `npm start -- <args>` would. */
function start(args: string[], env: NodeJS.ProcessEnv = process.env): Started {
  return observe(
    spawn(process.execPath, [tsxCli, "scripts/start.ts", ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/**
 * Collects a child's output. `exited` resolves when its output streams close: for a shell that leaves a
 * background job behind, that is when the job is gone too, not when the shell itself exits.
 */
function observe(child: ChildProcess): Started {
  let text = "";
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text.slice(from))) {
            listeners.delete(check);
            resolve(text);
          }
        };
        listeners.add(check);
        check();
        void exited.then(({ code }) => {
          if (!pattern.test(text))
            reject(new Error(`npm start exited (${code}) before ${pattern}:\n${text}`));
        });
      }),
  };
}

/** Flags for a quick start on a small generated sample (40 users, k fixed at 3) in a fresh data dir. */
function smallSampleFlags(port: number, dir: string): string[] {
  return ["--port", String(port), "--data-dir", dir, "--reset"].concat([
    "--users",
    "40",
    "--sample-movies",
    "80",
    "--sample-ratings",
    "1600",
    "--k",
    "3",
  ]);
}

/** Runs `npm run -s token -- <args>`'s script; its stdout and exit code. */
function token(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsxCli, "scripts/token.ts", ...args],
      { cwd: root },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? Number(error.code ?? 1) : 0 }),
    );
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A process that has ended but is not yet reaped by its new parent (a zombie) is gone too.
  return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** Resolves once `pid` has ended; rejects after `timeoutMs`. */
async function ended(pid: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} still runs ${timeoutMs} ms later`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves recommendations from generated data, and Ctrl-C stops it without leaving Java behind", async () => {
    const port = await findFreePort();
    const run = start(smallSampleFlags(port, dataDir));
    let javaPid = 0;
    let cognitoPid = 0;
    try {
      const output = await run.waitFor(/Press Ctrl-C to stop\./);
      javaPid = Number(/java pid (\d+)/.exec(output)?.[1]);
      cognitoPid = Number(/cognito-local \S+ \(pid (\d+)\)/.exec(output)?.[1]);
      expect(isAlive(javaPid)).toBe(true);
      expect(isAlive(cognitoPid)).toBe(true);
      expect(output).toContain(`cinecluster is serving on http://localhost:${port}`);
      expect(output).toContain("Uploaded generated sample data: 40 users, 80 movies, 1600 ratings (seed 1)");
      expect(output).toMatch(/Trained model \S+ in [\d.]+ s: k=3 /);
      const curl = /curl -X POST (\S+)\/users\/(\d+)\/favourites .*"movieId": (\d+)/.exec(output)!;
      expect(curl[1]).toBe(`http://localhost:${port}`);

      const base = `http://127.0.0.1:${port}`;
      const health = (await (await fetch(`${base}/health`)).json()) as {
        status: string;
        modelVersion: string;
      };
      expect(health.status).toBe("ok");
      expect(output).toContain(`Trained model ${health.modelVersion} `);
      const path3 = `${base}/users/${curl[2]}/recommendations?limit=3`;
      expect((await fetch(path3)).status).toBe(401);
      // npm run -s token prints one line, the token, and nothing else.
      const printed = await token(["--user", curl[2]!, "--data-dir", dataDir]);
      expect(printed.code).toBe(0);
      expect(printed.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const recommendations = await fetch(path3, {
        headers: { authorization: `Bearer ${printed.stdout.trim()}` },
      });
      expect(recommendations.status).toBe(200);
      const body = (await recommendations.json()) as { source: string; items: { movieId: number }[] };
      expect(body.source).toBe("cluster");
      expect(body.items).toHaveLength(3);
      // The example command recommends what the model really recommends first to that user.
      expect(body.items[0]!.movieId).toBe(Number(curl[3]));
    } finally {
      run.child.kill("SIGINT");
    }
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.output()).toContain("Stopped: HTTP server, DynamoDB Local, s3rver and cognito-local.");
    expect(javaPid).toBeGreaterThan(0);
    expect(isAlive(javaPid)).toBe(false);
    expect(isAlive(cognitoPid)).toBe(false);
    // The state file npm run token reads is gone with the stack, and the script says so.
    expect(existsSync(path.join(dataDir, "local-stack.json"))).toBe(false);
    const stale = await token(["--user", "1", "--data-dir", dataDir]);
    expect(stale).toMatchObject({ code: 1, stdout: "" });
    expect(stale.stderr).toContain("no running local stack");
  }, 180_000);

  it("keeps serving after the shell that ran `npm start &` exits, and stops when npm is terminated", async () => {
    const port = await findFreePort();
    const flags = smallSampleFlags(port, path.join(dataDir, "background"));
    // As a script would: a shell starts npm in the background, prints npm's pid and exits at once.
    const shell = spawn("sh", ["-c", `npm start -- ${flags.join(" ")} & echo "npm pid $!"`], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const shellExited = new Promise((resolve) => shell.once("exit", resolve));
    const run = observe(shell);
    const npmPid = Number(/npm pid (\d+)/.exec(await run.waitFor(/npm pid \d+/))?.[1]);
    await shellExited;
    let javaPid = 0;
    try {
      const output = await run.waitFor(/Press Ctrl-C to stop\./);
      javaPid = Number(/java pid (\d+)/.exec(output)?.[1]);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
    } finally {
      process.kill(npmPid, "SIGTERM");
    }
    await run.exited;
    expect(run.output()).toContain("Stopped: HTTP server, DynamoDB Local, s3rver and cognito-local.");
    expect(javaPid).toBeGreaterThan(0);
    expect(isAlive(javaPid)).toBe(false);
  }, 180_000);

  it("SIGKILL of its node process leaves no Java and no cognito-local behind", async () => {
    const port = await findFreePort();
    const run = start(smallSampleFlags(port, path.join(dataDir, "sigkill")));
    const output = await run.waitFor(/Press Ctrl-C to stop\./);
    const javaPid = Number(/java pid (\d+)/.exec(output)?.[1]);
    const cognitoPid = Number(/cognito-local \S+ \(pid (\d+)\)/.exec(output)?.[1]);
    // The node process running scripts/start.ts (tsx runs it as a child of its own) started Java.
    const nodePid = processInfo(javaPid)!.ppid;
    expect(processInfo(nodePid)?.cmdline).toContain("scripts/start.ts");
    expect(isAlive(javaPid) && isAlive(cognitoPid)).toBe(true);

    process.kill(nodePid, "SIGKILL");
    await run.exited;
    // No cleanup code ran in the killed process: the watchdogs stop Java and cognito-local.
    await ended(javaPid);
    await ended(cognitoPid);
    expect((await fetch(`http://127.0.0.1:${port}/health`).catch((e: unknown) => e)) instanceof Error).toBe(
      true,
    );
  }, 180_000);

  it("says so and stops everything when DynamoDB Local dies", async () => {
    const port = await findFreePort();
    const run = start(smallSampleFlags(port, path.join(dataDir, "java-dies")));
    const output = await run.waitFor(/Press Ctrl-C to stop\./);
    const javaPid = Number(/java pid (\d+)/.exec(output)?.[1]);
    const cognitoPid = Number(/cognito-local \S+ \(pid (\d+)\)/.exec(output)?.[1]);

    process.kill(javaPid, "SIGKILL");
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toContain(
      `error: DynamoDB Local (java pid ${javaPid}) exited: signal SIGKILL; the service cannot run without it. Run npm start again.`,
    );
    expect(run.output()).toContain("Stopped: HTTP server, DynamoDB Local, s3rver and cognito-local.");
    await ended(cognitoPid);
  }, 180_000);

  it("stops everything and names the reason when the first training run fails", async () => {
    const bad = path.join(dataDir, "bad-ratings.csv");
    writeFileSync(bad, "userId,movieId,rating\n1,2,banana\n1,3,4.0\n");
    const run = start(["--port", String(await findFreePort()), "--data-dir", dataDir, "--ratings", bad]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toContain(
      'error: training failed: 1 of 2 rows (50%) are malformed, above the 1% limit; first: line 2: rating "banana" is not a number',
    );
    const javaPid = Number(/java pid (\d+)/.exec(run.output())?.[1]);
    expect(javaPid).toBeGreaterThan(0);
    expect(isAlive(javaPid)).toBe(false);
  });

  it("says which port is taken and how to pick another", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = start(["--port", String(port), "--data-dir", dataDir]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.output()).toContain(
        `error: port ${port} on 127.0.0.1 is already in use. Stop whatever is listening there, or pick another port: npm start -- --port ${port + 1}`,
      );
    } finally {
      blocker.close();
    }
  });

  it("says clearly that Java 17 is missing", async () => {
    const run = start(["--data-dir", dataDir], { ...process.env, PATH: "/nonexistent" });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toContain("error: Java 17 or newer is needed to run DynamoDB Local");
  });

  it("names a bad flag", async () => {
    const run = start(["--retrain-every", "often"]);
    const { code } = await run.exited;
    expect(code).toBe(2);
    expect(run.output()).toContain('error: --retrain-every must be "off" or a duration');
  });
});
