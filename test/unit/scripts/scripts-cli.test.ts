import { execFile } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelFromJson } from "../../../shared/domain/clustering/model-json.js";
import { generateDataset } from "../../../shared/domain/evaluation/synthetic-dataset.js";

const root = path.resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "cinecluster-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = generateDataset({ users: 60, movies: 200, ratings: 3_000, seed: 3, groups: 3 });
const ratings = path.join(dir, "ratings.csv");
const movies = path.join(dir, "movies.csv");
writeFileSync(ratings, data.ratingsCsv);
// One malformed row (line 3,002) and one duplicate of user 1's first movie, which wins as the last row.
const firstMovie = data.ratingsCsv.split("\n")[1]!.split(",")[1];
appendFileSync(ratings, `1,2,9.0,5\n1,${firstMovie},5.0,7\n`);
writeFileSync(movies, data.moviesCsv);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a script through tsx in a child process on the same Node. */
function run(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(root, "scripts", script), ...args],
      { cwd: root, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe("npm run train", () => {
  it("trains from a generated file, prints progress and a summary, and writes the model JSON", async () => {
    const out = path.join(dir, "out", "model.json");
    const result = await run("train.ts", [
      ...["--ratings", ratings, "--movies", movies, "--k", "3", "--seed", "5"],
      ...["--min-cluster-size", "2", "--out", out],
    ]);
    expect(result.stderr).toContain("line 3002: rating 9.0 is outside 0.5..5");
    expect(result.stderr).toMatch(/k-means restart 1 iteration 1: inertia \d+\.\d{3}/);
    expect(result.code).toBe(0);

    const model = modelFromJson(JSON.parse(readFileSync(out, "utf8")));
    expect(model.params).toMatchObject({
      k: 3,
      seed: 5,
      minClusterSize: 2,
      geometry: "cosine",
      favouriteThreshold: 4,
    });
    expect(model.kSelection.rule).toBe("fixed");
    expect(model.stats).toMatchObject({ ratingRows: 3_000, badRows: 1, users: 60, movies: 200 });
    const sizes = model.clusters.map((c) => c.size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(model.userIds.length);
    expect(model.clusterOf.every((c) => c >= 0 && c < model.clusters.length)).toBe(true);

    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("ratings:    3,002 rows (ratings format), 1 bad, 1 duplicates dropped");
    expect(lines[1]).toBe(`users:      60 (${model.userIds.length} with favourites)`);
    expect(lines[2]).toBe("movies:     200 rated, 200 in the catalogue");
    expect(lines[3]).toBe(`favourites: ${model.stats.favourites.toLocaleString("en-GB")} (rating >= 4)`);
    expect(lines[4]).toMatch(/^k: {10}3 \(rule: fixed, confidence: clear\) /);
    const sorted = [...sizes].sort((a, b) => b - a).join(", ");
    expect(lines[5]).toBe(
      `clusters:   ${model.clusters.length} after folding clusters under 2 members; sizes ${sorted}`,
    );
    expect(result.stdout).toContain(`model:      ${out}`);
  });

  it("exits 2 with a message naming a bad or unknown flag", async () => {
    const bad = await run("train.ts", [
      "--ratings",
      ratings,
      "--k",
      "zero",
      "--out",
      path.join(dir, "m.json"),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --k must be auto or a whole number >= 1; got "zero"');
    const unknown = await run("train.ts", ["--ratings", ratings, "--clusters", "3"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown flag --clusters");
  });

  it("exits 1 naming the problem of a file with a wrong header", async () => {
    const wrong = path.join(dir, "wrong.csv");
    writeFileSync(wrong, "a,b\n1,2\n");
    const result = await run("train.ts", ["--ratings", wrong, "--out", path.join(dir, "m.json")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: line 1: header must have columns userId and movieId; found: a,b");
  });
});

describe("npm run elbow", () => {
  it("writes the SVG chart and the JSON report beside it", async () => {
    const out = path.join(dir, "elbow.svg");
    const result = await run("elbow.ts", ["--ratings", ratings, "--k", "2..4", "--seed", "1", "--out", out]);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, "elbow.json"), "utf8"));
    expect(report.candidates.map((c: { k: number }) => c.k)).toEqual([2, 3, 4]);
    expect([2, 3, 4]).toContain(report.chosenK);
    expect(readFileSync(out, "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(result.stdout).toContain(`k:          ${report.chosenK} (rule: knee`);
  });
});

describe("npm run generate", () => {
  it("writes the same three files as the in-process generator", async () => {
    const out = path.join(dir, "generated");
    const spec = ["--users", "60", "--movies", "200", "--ratings", "3000", "--seed", "3", "--groups", "3"];
    const result = await run("generate.ts", [...spec, "--out", out]);
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(out, "ratings.csv"), "utf8")).toBe(data.ratingsCsv);
    expect(readFileSync(path.join(out, "movies.csv"), "utf8")).toBe(data.moviesCsv);
    expect(readFileSync(path.join(out, "planted-groups.csv"), "utf8")).toBe(data.plantedGroupsCsv);
  });

  it("names the flag of an impossible spec", async () => {
    const result = await run("generate.ts", [
      "--users",
      "10",
      "--ratings",
      "100",
      "--out",
      path.join(dir, "g"),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: --ratings must be at least 20 per user (200); got 100");
  });
});
