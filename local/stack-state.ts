import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LocalUserPool } from "./cognito-accounts.js";

/**
 * What `npm start` writes to `<data dir>/local-stack.json` while it runs (removed when it stops), so other
 * commands (`npm run token`) can reach the running stack: its endpoints, the user pool, and the sample users'
 * password. The file is readable by its owner only; it describes a local emulator, never a deployed stack.
 */
export interface LocalStackState {
  /** The `npm start` process; a state file whose process is gone is stale. */
  readonly pid: number;
  readonly apiUrl: string;
  readonly region: string;
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  readonly userPool: LocalUserPool;
  /** The password every sample user signs in with: random, made at each `npm start`. */
  readonly samplePassword: string;
}

/** Thrown when no running `npm start` can be found. */
export class StackNotRunningError extends Error {
  override readonly name = "StackNotRunningError";
}

/** Where the state of the stack with data in `dataDir` is written. */
function stateFile(dataDir: string): string {
  return path.join(dataDir, "local-stack.json");
}

/** Writes the running stack's state (owner-only). */
export function writeStackState(dataDir: string, state: LocalStackState): void {
  const file = stateFile(dataDir);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Removes the state file (the stack stopped). */
export function removeStackState(dataDir: string): void {
  rmSync(stateFile(dataDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reads the running stack's state; StackNotRunningError when there is none or its process is gone. */
export function readStackState(dataDir: string): LocalStackState {
  const file = stateFile(dataDir);
  let state: LocalStackState;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as LocalStackState;
  } catch {
    throw new StackNotRunningError(`no running local stack (${file} not found): start one with npm start`);
  }
  if (!isAlive(state.pid)) {
    throw new StackNotRunningError(`the local stack in ${file} (pid ${state.pid}) is not running: npm start`);
  }
  return state;
}
