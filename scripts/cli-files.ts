/**
 * Input and output files of the command-line tools, checked before any work starts: a missing input is
 * one line and exit code 1 (CliFileError), and an output that cannot be written is found before a long
 * training run rather than after it.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import path from "node:path";

/** A file named on the command line that cannot be read or written; runCli prints it as one line, exit 1. */
export class CliFileError extends Error {
  override readonly name = "CliFileError";
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EEXIST: "already exists and is not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
};

/** A system error (ENOENT, EACCES, ...) in plain words, or undefined when `error` is not one. */
export function describeFileError(error: unknown): string | undefined {
  const code = codeOf(error);
  if (code === undefined || !/^E[A-Z]+$/.test(code)) return undefined;
  const file = (error as { path?: unknown }).path;
  const reason = REASONS[code] ?? code;
  return typeof file === "string" ? `${file}: ${reason}` : reason;
}

/** Checks that `file` (given as `--flag`) is a readable regular file. */
export function checkInputFile(flag: string, file: string): string {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw new CliFileError(`--${flag} ${file}: ${REASONS[codeOf(error) ?? ""] ?? "cannot be read"}`);
  }
  if (!isFile) throw new CliFileError(`--${flag} ${file}: not a regular file`);
  return file;
}

/**
 * Checks, before the work starts, that `file` (given as `--flag`) can be written: creates its missing
 * directories one level at a time (Node's recursive mkdir loops forever under /proc) and opens the file
 * for appending; a file that did not exist is removed again. Returns the path.
 */
export function checkOutputFile(flag: string, file: string): string {
  const absolute = path.resolve(file);
  const fail = (reason: string): never => {
    throw new CliFileError(`--${flag} ${file}: ${reason}`);
  };
  let existed = false;
  try {
    const stats = statSync(absolute);
    if (stats.isDirectory()) fail("is a directory; give a file name");
    existed = true;
  } catch (error) {
    if (error instanceof CliFileError) throw error;
    if (codeOf(error) !== "ENOENT") fail(REASONS[codeOf(error) ?? ""] ?? "cannot be written");
  }
  const missing: string[] = [];
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) fail(`${dir} is not a directory`);
      break;
    } catch (error) {
      if (error instanceof CliFileError) throw error;
      if (codeOf(error) !== "ENOENT" || dir === path.dirname(dir))
        fail(REASONS[codeOf(error) ?? ""] ?? "cannot be written");
      missing.unshift(dir);
    }
  }
  try {
    for (const dir of missing) mkdirSync(dir);
    closeSync(openSync(absolute, "a"));
    if (!existed) rmSync(absolute);
  } catch (error) {
    fail(REASONS[codeOf(error) ?? ""] ?? "cannot be written");
  }
  return file;
}
