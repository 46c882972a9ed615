import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const rel = path.join(dir, entry);
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']/g)].map((m) => m[1]!);
}

const runtimeFiles = [...sourceFiles("shared"), ...sourceFiles("functions")];

describe("architecture", () => {
  it("only shared/adapters imports the AWS SDK", () => {
    const offenders = runtimeFiles.filter(
      (file) =>
        !file.startsWith("shared/adapters/") && importsOf(file).some((s) => s.startsWith("@aws-sdk/")),
    );
    expect(offenders).toEqual([]);
  });

  it("only shared/config.ts reads process.env", () => {
    const offenders = runtimeFiles.filter(
      (file) =>
        file !== "shared/config.ts" && /process\.env/.test(readFileSync(path.join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("shared/domain has no I/O, clock or randomness", () => {
    const offenders = sourceFiles("shared/domain").filter((file) => {
      const text = readFileSync(path.join(root, file), "utf8");
      const io = importsOf(file).some((s) => s.startsWith("node:") || s.startsWith("@aws-sdk/"));
      return io || /Math\.random|Date\.now|new Date\(\)|process\./.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it("nothing in shared imports functions or infra, and functions never import each other", () => {
    const offenders = runtimeFiles.filter((file) =>
      importsOf(file).some((spec) => {
        if (!spec.startsWith(".")) return false;
        const target = path.relative(root, path.resolve(root, path.dirname(file), spec));
        if (file.startsWith("shared/")) return target.startsWith("functions/") || target.startsWith("infra/");
        const ownFolder = file.split("/").slice(0, 2).join("/");
        return target.startsWith("functions/") && !target.startsWith(`${ownFolder}/`);
      }),
    );
    expect(offenders).toEqual([]);
  });

  it("infra imports no runtime code but shared constants and the settings module", () => {
    const offenders = sourceFiles("infra").filter((file) =>
      importsOf(file).some((spec) => {
        if (!spec.startsWith(".")) return false;
        const target = path.relative(root, path.resolve(root, path.dirname(file), spec));
        return (
          !target.startsWith("infra/") &&
          target !== "shared/env-names.js" &&
          target !== "shared/constants.js" &&
          target !== "shared/domain/settings.js"
        );
      }),
    );
    expect(offenders).toEqual([]);
  });

  it("relative imports carry .js suffixes and there are no barrel index.ts files", () => {
    const all = [
      ...runtimeFiles,
      ...sourceFiles("infra"),
      ...sourceFiles("local"),
      ...sourceFiles("scripts"),
    ];
    const badSuffix = all.filter((file) =>
      importsOf(file).some(
        (spec) => spec.startsWith(".") && !spec.endsWith(".js") && !spec.endsWith(".json"),
      ),
    );
    expect(badSuffix).toEqual([]);
    expect(all.filter((file) => path.basename(file) === "index.ts")).toEqual([]);
  });

  it("every error class in shared/domain/errors.ts extends DomainError (one base, one mapping)", () => {
    const text = readFileSync(path.join(root, "shared/domain/errors.ts"), "utf8");
    const classes = [...text.matchAll(/export (?:abstract )?class (\w+) extends (\w+)/g)];
    expect(classes.length).toBeGreaterThan(5);
    const offenders = classes.filter(([, name, base]) => name !== "DomainError" && base !== "DomainError");
    expect(offenders.map(([, name]) => name)).toEqual([]);
  });
});
