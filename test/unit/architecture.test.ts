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
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:(?:import|export)[^;]*?from\s+|import\s+|import\()["']([^"']+)["']/g),
  ].map((m) => m[1]!);
}

const runtimeFiles = [...sourceFiles("shared"), ...sourceFiles("functions")];

/** The repository-relative .ts files `file` imports by relative path. */
function localImports(file: string): string[] {
  return importsOf(file)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.relative(root, path.resolve(root, path.dirname(file), spec)).replace(/\.js$/, ".ts"));
}

/** Every file `file` reaches through relative imports, itself excluded. */
function reachable(file: string): Set<string> {
  const seen = new Set<string>();
  const stack = localImports(file);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next) || next === file) continue;
    seen.add(next);
    stack.push(...localImports(next));
  }
  return seen;
}

/** DynamoDB adapters that only read: the API's read path. None may reach a write module. */
const READ_ADAPTERS = [
  "dynamo-account-reader.ts",
  "dynamo-catalogue-reader.ts",
  "dynamo-closeness.ts",
  "dynamo-count-reader.ts",
  "dynamo-favourite-reader.ts",
  "dynamo-favourite-scan.ts",
  "dynamo-model-reader.ts",
  "dynamo-movie-reader.ts",
  "dynamo-picks-reader.ts",
  "dynamo-pointer.ts",
  "dynamo-recommendation-reader.ts",
  "dynamo-user-state.ts",
  "dynamo-version-list.ts",
  "dynamo-version-meta.ts",
];
/** DynamoDB adapters that write items. */
const WRITE_ADAPTERS = [
  "dynamo-account-writer.ts",
  "dynamo-catch-up.ts",
  "dynamo-counted-prune.ts",
  "dynamo-dismissed.ts",
  "dynamo-favourite-writer.ts",
  "dynamo-placement.ts",
  "dynamo-publish.ts",
  "dynamo-rollback.ts",
  "dynamo-table.ts",
  "dynamo-training-lock.ts",
  "dynamo-training-store.ts",
  "dynamo-version-cleanup.ts",
  "dynamo-version-encoding.ts",
  "dynamo-version-history.ts",
  "dynamo-write-rounds.ts",
];
/** What both sides share (client, batches, deadlines, keys, codecs) and the API store that binds the ports. */
const SHARED_ADAPTERS = [
  "dynamo-batch.ts",
  "dynamo-catalogue-codec.ts",
  "dynamo-client.ts",
  "dynamo-codec.ts",
  "dynamo-deadline.ts",
  "dynamo-keys.ts",
  "dynamo-store.ts",
];

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

  it("every DynamoDB adapter is listed as read, write or shared, so the next rule covers it", () => {
    const listed = new Set([...READ_ADAPTERS, ...WRITE_ADAPTERS, ...SHARED_ADAPTERS]);
    const files = sourceFiles("shared/adapters")
      .map((file) => path.basename(file))
      .filter((name) => name.startsWith("dynamo-"));
    expect(files.filter((name) => !listed.has(name))).toEqual([]);
    expect([...listed].filter((name) => !files.includes(name))).toEqual([]);
  });

  it("no read-side adapter reaches a write-side adapter, directly or through another file", () => {
    const writers = new Set(WRITE_ADAPTERS.map((name) => `shared/adapters/${name}`));
    const offenders = READ_ADAPTERS.flatMap((name) => {
      const file = `shared/adapters/${name}`;
      return [...reachable(file)]
        .filter((target) => writers.has(target))
        .map((target) => `${file} -> ${target}`);
    });
    expect(offenders).toEqual([]);
  });

  it("functions/*/create-handler.ts imports no adapter (only handler.ts wires adapters in)", () => {
    const handlers = sourceFiles("functions").filter((file) => path.basename(file) === "create-handler.ts");
    expect(handlers.length).toBeGreaterThan(10);
    const offenders = handlers.flatMap((file) =>
      [...reachable(file)]
        .filter((target) => target.startsWith("shared/adapters/"))
        .map((target) => `${file} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the recommendation handler ranks through the domain's recommend(), and the API ports live in the domain", () => {
    const handler = "functions/get-recommendations/create-handler.ts";
    expect(localImports(handler)).toContain("shared/domain/ranking/recommend.ts");
    expect(localImports(handler)).not.toContain("shared/domain/ranking/ranking.ts");
    const portFiles = runtimeFiles.filter((file) =>
      /export interface (ApiStore|RecommendationReader|FavouriteWriter|CatalogueReader|TrainingStore)\b/.test(
        readFileSync(path.join(root, file), "utf8"),
      ),
    );
    expect(portFiles.sort()).toEqual(["shared/domain/ports.ts", "shared/domain/training-ports.ts"]);
  });

  it("keys are spelled only in dynamo-keys.ts, and no SDK error is unwrapped from a cause", () => {
    const keyLiteral = /"(MODEL|MOVIE|VERSION|USER|FAVS|CLUSTER|CATALOGUE|DISMISSED)#|#C#|\.slice\(2\)/;
    const spelled = sourceFiles("shared/adapters").filter(
      (file) =>
        path.basename(file) !== "dynamo-keys.ts" &&
        keyLiteral.test(readFileSync(path.join(root, file), "utf8")),
    );
    expect(spelled).toEqual([]);
    const unwrapping = runtimeFiles.filter((file) =>
      /cause instanceof/.test(readFileSync(path.join(root, file), "utf8")),
    );
    expect(unwrapping).toEqual([]);
  });
});
