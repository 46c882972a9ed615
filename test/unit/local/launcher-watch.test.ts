import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findAncestor, isNpmCommand, processInfo } from "../../../local/launcher-watch.js";

describe("finding npm start's launcher (Linux /proc)", () => {
  it("reads a process's parent as ps reports it", () => {
    const fromPs = Number(
      execFileSync("ps", ["-o", "ppid=", "-p", String(process.pid)])
        .toString()
        .trim(),
    );
    expect(processInfo(process.pid)?.ppid).toBe(fromPs);
  });

  it("walks parent links to the nearest matching ancestor", () => {
    expect(findAncestor((cmdline) => cmdline === processInfo(process.ppid)?.cmdline)).toBe(process.ppid);
    expect(findAncestor(() => false)).toBeUndefined();
  });

  it("recognises npm's own command line and nothing else", () => {
    expect(isNpmCommand("npm start")).toBe(true);
    expect(isNpmCommand("npm")).toBe(true);
    expect(isNpmCommand("/usr/bin/npm start -- --port 3001")).toBe(true);
    expect(isNpmCommand("node /usr/lib/node_modules/npm/bin/npm-cli.js start")).toBe(true);
    expect(isNpmCommand("sh -c tsx scripts/start.ts")).toBe(false);
    expect(isNpmCommand("node /work/node_modules/.bin/tsx scripts/start.ts")).toBe(false);
    expect(isNpmCommand("bash npm-helper.sh")).toBe(false);
  });
});
