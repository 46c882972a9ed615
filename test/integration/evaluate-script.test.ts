import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFolds, ratedByUser } from "../../shared/domain/evaluation/evaluation.js";
import type { TopNMetrics } from "../../shared/domain/evaluation/metrics.js";
import { generateDataset } from "../../shared/domain/evaluation/synthetic-dataset.js";
import { parseRatings } from "../../shared/domain/input/ratings-parser.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const spec = { users: 300, movies: 500, ratings: 15_000, seed: 3, groups: 6 };

let dir: string;
let stdout: string;
let results: {
  settings: { k: number };
  clusters: TopNMetrics;
  mostPopular: TopNMetrics;
  random: TopNMetrics;
  baselines: Record<string, TopNMetrics>;
  ndcgBySeed: number[];
  structure: { adjustedRand: number; clusters: number };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cinecluster-evaluate-"));
  const data = generateDataset(spec);
  writeFileSync(path.join(dir, "ratings.csv"), data.ratingsCsv);
  writeFileSync(path.join(dir, "movies.csv"), data.moviesCsv);
  writeFileSync(path.join(dir, "planted-groups.csv"), data.plantedGroupsCsv);
  const args = ["scripts/evaluate.ts", "--ratings", path.join(dir, "ratings.csv"), "--movies"];
  args.push(path.join(dir, "movies.csv"), "--protocol", "random", "--k", "6", "--seeds", "2");
  args.push("--out", path.join(dir, "recs.csv"), "--json", path.join(dir, "results.json"));
  args.push("--planted", path.join(dir, "planted-groups.csv"));
  ({ stdout } = await run(path.join(root, "node_modules/.bin/tsx"), args, { cwd: root }));
  results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run evaluate on generated data", () => {
  it("prints the metric table for cinecluster and every baseline", () => {
    expect(stdout).toMatch(/^cinecluster +0\.\d{4}/m);
    expect(stdout).toMatch(/^EASE top-1000 +0\.\d{4}/m);
    expect(stdout).toMatch(/^RP3beta +0\.\d{4}/m);
    expect(stdout).toMatch(/^ItemKNN +0\.\d{4}/m);
    expect(stdout).toMatch(/excluded: every movie the user rated in train/);
    expect(stdout).toMatch(/^MostPopular +0\.\d{4}/m);
    expect(stdout).toMatch(/^Random +0\.\d{4}/m);
    expect(stdout).toMatch(/over 2 training seeds/);
  });

  it("gives metrics in [0, 1], and the cluster method beats Random by far and MostPopular", () => {
    for (const metrics of [results.clusters, results.mostPopular, results.random]) {
      for (const key of ["precision", "recall", "ndcg", "hitRate", "map", "coverage"] as const) {
        expect(metrics[key]).toBeGreaterThanOrEqual(0);
        expect(metrics[key]).toBeLessThanOrEqual(1);
      }
      expect(metrics.users).toBe(results.clusters.users);
    }
    expect(results.clusters.ndcg).toBeGreaterThan(5 * results.random.ndcg);
    expect(results.clusters.ndcg).toBeGreaterThan(results.mostPopular.ndcg);
    expect(results.ndcgBySeed).toHaveLength(2);
    expect(results.ndcgBySeed[0]).toBe(results.clusters.ndcg);
    for (const name of ["EASE top-1000", "RP3beta", "ItemKNN"]) {
      expect(results.baselines[name]!.users).toBe(results.clusters.users);
      expect(results.baselines[name]!.ndcg).toBeGreaterThan(5 * results.random.ndcg);
    }
  });

  it("recovers the planted taste groups (adjusted Rand index floor)", () => {
    // Measured 0.955-0.971 over training seeds 1-3 with cosine k=6 (Euclidean: 0.02-0.32).
    expect(results.structure.adjustedRand).toBeGreaterThan(0.8);
    expect(results.structure.clusters).toBe(6);
  });

  it("writes ranks 1..n of distinct movies the user did not rate in train, for every test user", () => {
    const lines = readFileSync(path.join(dir, "recs.csv"), "utf8").split("\n");
    expect(lines[0]).toBe("userId,movieId,rank");
    expect(lines.at(-1)).toBe("");
    const byUser = new Map<number, number[]>();
    for (const line of lines.slice(1, -1)) {
      expect(line).toMatch(/^\d+,\d+,\d+$/);
      const [userId, movieId, rank] = line.split(",").map(Number) as [number, number, number];
      const list = byUser.get(userId) ?? [];
      expect(rank).toBe(list.length + 1);
      list.push(movieId);
      byUser.set(userId, list);
    }
    const { table } = parseRatings(readFileSync(path.join(dir, "ratings.csv")));
    const folds = makeFolds(table, "random");
    const rated = ratedByUser(folds.test.train);
    expect([...byUser.keys()]).toEqual([...folds.test.heldOut.keys()].sort((a, b) => a - b));
    for (const [userId, list] of byUser) {
      expect(list.length).toBe(10);
      expect(new Set(list).size).toBe(list.length);
      expect(list.filter((movieId) => rated.get(userId)?.has(movieId))).toEqual([]);
    }
  });
});
