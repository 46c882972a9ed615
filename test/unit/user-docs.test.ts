import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadApiConfig, loadTrainConfig } from "../../shared/config.js";
import { ENV } from "../../shared/env-names.js";

const root = path.resolve(import.meta.dirname, "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const userDocs = [
  "README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

describe("the user documentation", () => {
  it("lists every environment variable shared/config.ts reads, in the README's table", () => {
    const rows = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` /gm)].map((match) => match[1]));
    const missing = [...Object.values(ENV), "AWS_REGION"].filter((name) => !rows.has(name));
    expect(missing).toEqual([]);
  });

  it("gives each tunable the default shared/config.ts applies", () => {
    const api = loadApiConfig({ [ENV.tableName]: "t" });
    const train = loadTrainConfig({
      [ENV.tableName]: "t",
      [ENV.bucketName]: "b",
      [ENV.ratingsKey]: "r",
      [ENV.moviesKey]: "m",
    });
    const applied: Record<string, unknown> = { ...api, ...train, ...train.plausibility };
    const documented = new Map(
      [...readme.matchAll(/^\| `([A-Z0-9_]+)` \| [^|]+ \| `([^`]+)` \|/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const checked = Object.entries(ENV).filter(([field, name]) => documented.has(name) && field in applied);
    expect(checked.length).toBeGreaterThan(15);
    const wrong = checked
      .filter(([field, name]) => String(applied[field]) !== documented.get(name))
      .map(([field, name]) => `${name}: README ${documented.get(name)}, config ${String(applied[field])}`);
    expect(wrong).toEqual([]);
  });

  it("never cites ../shared, which users do not have", () => {
    const citing = userDocs.filter((file) =>
      readFileSync(path.join(root, file), "utf8").includes("../shared"),
    );
    expect(citing).toEqual([]);
  });

  it("links only to docs files that exist", () => {
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(0);
    const docsFiles = readdirSync(path.join(root, "docs")).map((name) => `docs/${name}`);
    expect(links.filter((link) => !userDocs.includes(link) && !docsFiles.includes(link))).toEqual([]);
  });
});
