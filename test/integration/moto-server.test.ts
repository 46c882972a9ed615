import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findOnPath, MotoMissingError, startMotoServer } from "../../local/moto-server.js";

describe("moto_server for the deploy check", () => {
  it("finds an executable on a PATH string, and only an executable", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "cinecluster-path-"));
    writeFileSync(path.join(folder, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    writeFileSync(path.join(folder, "notes"), "text", { mode: 0o644 });
    expect(findOnPath("tool", `/nonexistent${path.delimiter}${folder}`)).toBe(path.join(folder, "tool"));
    expect(findOnPath("notes", folder)).toBeUndefined();
    expect(findOnPath("tool", "")).toBeUndefined();
  });

  it("fails with what to install when moto_server is not on the PATH", async () => {
    const attempt = startMotoServer("/nonexistent");
    await expect(attempt).rejects.toBeInstanceOf(MotoMissingError);
    await expect(attempt).rejects.toThrow(/pip install 'moto\[server\]==5\.2\.1'/);
  });

  it("starts on a free loopback port, answers as localhost, and stops", async () => {
    const moto = await startMotoServer(process.env.PATH ?? "");
    try {
      expect(moto.endpoint).toBe(`http://localhost:${moto.port}`);
      const response = await fetch(`${moto.endpoint}/moto-api/`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    } finally {
      await moto.stop();
    }
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  }, 30_000);
});
