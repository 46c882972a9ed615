import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
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
