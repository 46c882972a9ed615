import { spawn } from "node:child_process";

/**
 * Ties a child process (DynamoDB Local's Java, cognito-local) to this process's life, even when this process
 * is killed with SIGKILL and runs no cleanup at all. A tiny detached watchdog (`sh` + `cat`) reads a pipe whose
 * only writer is this process; the kernel closes that pipe when this process ends, however it ends, and the
 * watchdog then stops the child: SIGTERM, then SIGKILL if it is still there 3 s later. No polling, no native
 * code (prctl's parent-death signal is Linux-only and not reachable from Node).
 */

/** A watchdog guarding one child. */
export interface ParentWatchdog {
  /** The watchdog's own pid (for tests). */
  readonly pid: number;
  /** Ends the watchdog without touching the child: call it once the child has been stopped on purpose. */
  release(): void;
}

/**
 * The watchdog's script: wait for end-of-file on stdin (this process gone), then stop `$1` if it is still
 * running, politely first. Its output goes nowhere; it ignores the terminal's signals (own process group).
 */
const SCRIPT = [
  "cat > /dev/null",
  'kill -TERM "$1" 2>/dev/null || exit 0',
  "i=0",
  'while [ "$i" -lt 30 ]; do kill -0 "$1" 2>/dev/null || exit 0; sleep 0.1; i=$((i + 1)); done',
  'kill -KILL "$1" 2>/dev/null',
  "exit 0",
].join("\n");

/** Starts a watchdog that stops `childPid` when this process ends; it never keeps this process alive. */
export function killWithThisProcess(childPid: number): ParentWatchdog {
  const watchdog = spawn("sh", ["-c", SCRIPT, "cinecluster-watchdog", String(childPid)], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Neither the watchdog nor the pipe to it keeps the event loop alive.
  watchdog.unref();
  const pipe = watchdog.stdin as (NodeJS.WritableStream & { unref?: () => void; destroy(): void }) | null;
  pipe?.unref?.();
  // A watchdog that could not start (no sh) only loses the SIGKILL guarantee; stop() still stops the child.
  watchdog.on("error", () => undefined);
  return {
    pid: watchdog.pid ?? -1,
    release() {
      // Killing the shell first means the end-of-file that follows reaches only `cat`, which just exits.
      watchdog.kill("SIGKILL");
      pipe?.destroy();
    },
  };
}
