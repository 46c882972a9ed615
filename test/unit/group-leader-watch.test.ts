import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processGroupId } from "../../local/group-leader-watch.js";

describe("process group of npm start (Linux /proc)", () => {
  it("reads this process's group id as ps reports it", () => {
    const fromPs = Number(
      execFileSync("ps", ["-o", "pgid=", "-p", String(process.pid)])
        .toString()
        .trim(),
    );
    expect(processGroupId()).toBe(fromPs);
  });
});
