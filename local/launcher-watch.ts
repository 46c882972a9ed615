import { readFileSync } from "node:fs";

/** A process's parent pid and command line, from /proc (Linux); undefined where they cannot be read. */
export function processInfo(pid: number): { ppid: number; cmdline: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    return Number.isInteger(ppid) ? { ppid, cmdline } : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest ancestor of this process whose command line `matches`, walking parent links up to pid 1. */
export function findAncestor(matches: (cmdline: string) => boolean, from = process.ppid): number | undefined {
  for (let pid = from, hops = 0; pid > 1 && hops < 64; hops++) {
    const info = processInfo(pid);
    if (!info) return undefined;
    if (matches(info.cmdline)) return pid;
    pid = info.ppid;
  }
  return undefined;
}

/** True for npm's own process: `npm start`, `/usr/bin/npm start` or `node .../npm-cli.js start`. */
export function isNpmCommand(cmdline: string): boolean {
  return /(^|\/)npm(-cli\.js)?(\s|$)/.test(cmdline) || /\snpm(-cli\.js)?(\s|$)/.test(cmdline);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Calls `onGone` once the npm process that launched this script has exited. `npm start` runs the script
 * under `sh -c`, which does not pass on a SIGTERM sent to npm alone; without this watch the server and its
 * Java process would outlive npm. It watches npm itself, not the process group's leader, so `npm start &`
 * from a shell that then exits keeps serving. Returns a function that stops watching; a no-op when the
 * script was not started by npm or /proc is absent.
 */
export function watchNpmLauncher(onGone: () => void, intervalMs = 1_000): () => void {
  const npm = findAncestor(isNpmCommand);
  if (npm === undefined) return () => undefined;
  const timer = setInterval(() => {
    if (isAlive(npm)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
