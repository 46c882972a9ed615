import { readFileSync } from "node:fs";

/** This process's process group id, from /proc (Linux); undefined where /proc is absent. */
export function processGroupId(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name (which may contain spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgid = Number(fields[2]);
    return Number.isInteger(pgid) && pgid > 0 ? pgid : undefined;
  } catch {
    return undefined;
  }
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
 * Calls `onGone` once the leader of this process's group has exited. `npm start` runs the script under
 * `sh -c`, which does not pass on a SIGTERM sent to npm alone; without this watch the server and its Java
 * process would outlive npm. Returns a function that stops watching; a no-op where /proc is absent.
 */
export function watchGroupLeader(onGone: () => void, intervalMs = 1_000): () => void {
  const pgid = processGroupId();
  if (pgid === undefined || pgid === process.pid || !isAlive(pgid)) return () => undefined;
  const timer = setInterval(() => {
    if (isAlive(pgid)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
