import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generateDataset } from "../../shared/domain/evaluation/synthetic-dataset.js";
import { SERVING_DEFAULTS } from "../../shared/domain/settings.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "cinecluster-evaluate-picks-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `npm run evaluate` on generated data with --picks 3 (and --no-baselines unless `withBaselines`);
 * returns stdout and the JSON's picks results.
 */
async function evaluatePicks(extra: string[], withBaselines = false) {
  const data = generateDataset({ users: 300, movies: 500, ratings: 15_000, seed: 3, groups: 6 });
  writeFileSync(path.join(dir, "ratings.csv"), data.ratingsCsv);
  writeFileSync(path.join(dir, "movies.csv"), data.moviesCsv);
  const json = path.join(dir, `results-${extra.join("")}.json`);
  const args = ["scripts/evaluate.ts", "--ratings", path.join(dir, "ratings.csv"), "--protocol", "random"];
  args.push(
    "--k",
    "6",
    ...(withBaselines ? [] : ["--no-baselines"]),
    "--picks",
    "3",
    "--json",
    json,
    ...extra,
  );
  const { stdout } = await run(path.join(root, "node_modules/.bin/tsx"), args, { cwd: root });
  const picks = JSON.parse(readFileSync(json, "utf8")).picks as {
    picks: number;
    neighbourWeight: number;
    neighbourScale: string;
    everyoneWeight: number;
    genreWeight: number;
    split: string;
    ndcg: Record<string, { mean: number }>;
  }[];
  return { stdout, picks };
}

describe("npm run evaluate --picks", () => {
  it("ranks picks at the served picks' neighbour weight, or the one --picks-neighbours gives", async () => {
    const served = await evaluatePicks([]);
    const blend = `everyone's counts at ${SERVING_DEFAULTS.picksEveryoneWeight}; genre match at ${SERVING_DEFAULTS.picksGenreWeight}`;
    expect(served.stdout).toContain(
      `picks' neighbour weight ${SERVING_DEFAULTS.picksNeighbourWeight}, scaled by ${SERVING_DEFAULTS.picksNeighbourScale}; ${blend}): `,
    );
    expect(served.picks[0]).toMatchObject({
      picks: 3,
      neighbourWeight: SERVING_DEFAULTS.picksNeighbourWeight,
      neighbourScale: SERVING_DEFAULTS.picksNeighbourScale,
      everyoneWeight: SERVING_DEFAULTS.picksEveryoneWeight,
      genreWeight: SERVING_DEFAULTS.picksGenreWeight,
      split: "test",
    });
    const groupsAlone = await evaluatePicks(["--picks-neighbours", "0"]);
    expect(groupsAlone.stdout).toContain(
      `picks' neighbour weight 0, scaled by ${SERVING_DEFAULTS.picksNeighbourScale}; ${blend}): `,
    );
    expect(groupsAlone.picks[0]!.neighbourWeight).toBe(0);
    for (const result of [served, groupsAlone]) {
      expect(result.stdout).toMatch(/closeness - covering: [+-]\d\.\d{4} \[/);
      for (const name of ["closeness", "covering", "MostPopular"]) {
        expect(result.picks[0]!.ndcg[name]!.mean).toBeGreaterThan(0);
        expect(result.picks[0]!.ndcg[name]!.mean).toBeLessThanOrEqual(1);
      }
    }
    // The weight changes the closeness ranking; MostPopular does not depend on it.
    expect(groupsAlone.picks[0]!.ndcg.closeness!.mean).not.toBe(served.picks[0]!.ndcg.closeness!.mean);
    expect(groupsAlone.picks[0]!.ndcg.MostPopular!.mean).toBe(served.picks[0]!.ndcg.MostPopular!.mean);
  }, 120_000);

  it("scores EASE, RP3beta and ItemKNN from the same picks unless --no-baselines", async () => {
    const all = await evaluatePicks(["--picks-neighbours", "2"], true);
    const names = Object.keys(all.picks[0]!.ndcg);
    expect(names).toEqual([
      "closeness",
      "covering",
      "covering-before",
      "MostPopular",
      "EASE top-1000",
      "RP3beta",
      "ItemKNN",
    ]);
    for (const name of names) expect(all.picks[0]!.ndcg[name]!.mean).toBeGreaterThanOrEqual(0);
    expect(all.stdout).toMatch(/closeness - RP3beta: [+-]\d\.\d{4} \[/);
    const without = await evaluatePicks(["--picks-neighbours", "2"]);
    expect(Object.keys(without.picks[0]!.ndcg)).toEqual([
      "closeness",
      "covering",
      "covering-before",
      "MostPopular",
    ]);
    // The same picks and rankings either way: only the extra methods differ.
    expect(without.picks[0]!.ndcg.closeness!.mean).toBe(all.picks[0]!.ndcg.closeness!.mean);
  }, 180_000);

  it("scales the neighbour part by its maximum or by the number of picks, and scores the validation split, when asked", async () => {
    const served = await evaluatePicks(["--picks-neighbours", "4", "--picks-scale", "max"]);
    const mean = await evaluatePicks(["--picks-neighbours", "4", "--picks-scale", "mean"]);
    expect(mean.stdout).toContain("picks' neighbour weight 4, scaled by mean; ");
    expect(mean.picks[0]).toMatchObject({ neighbourScale: "mean", split: "test" });
    expect(mean.picks[0]!.ndcg.closeness!.mean).not.toBe(served.picks[0]!.ndcg.closeness!.mean);
    expect(mean.picks[0]!.ndcg.MostPopular!.mean).toBe(served.picks[0]!.ndcg.MostPopular!.mean);
    const validation = await evaluatePicks([
      "--picks-neighbours",
      "4",
      "--picks-scale",
      "max",
      "--picks-split",
      "validation",
    ]);
    expect(validation.stdout).toMatch(/scaled by max; .*\): \d+ validation users/);
    expect(validation.picks[0]!.split).toBe("validation");
    // Another split: other users, other training part, so MostPopular scores differently.
    expect(validation.picks[0]!.ndcg.MostPopular!.mean).not.toBe(served.picks[0]!.ndcg.MostPopular!.mean);
  }, 180_000);

  it("weighs everyone's counts and the genre match as asked, the genres from the movies file", async () => {
    const movies = ["--movies", path.join(dir, "movies.csv")];
    const served = await evaluatePicks(movies);
    expect(served.stdout).not.toContain("no movies file");
    const noGenres = await evaluatePicks([...movies, "--picks-genres", "0"]);
    const noEveryone = await evaluatePicks([...movies, "--picks-everyone", "0"]);
    expect(noGenres.picks[0]).toMatchObject({
      genreWeight: 0,
      everyoneWeight: SERVING_DEFAULTS.picksEveryoneWeight,
    });
    expect(noEveryone.picks[0]).toMatchObject({
      everyoneWeight: 0,
      genreWeight: SERVING_DEFAULTS.picksGenreWeight,
    });
    for (const other of [noGenres, noEveryone]) {
      expect(other.picks[0]!.ndcg.closeness!.mean).not.toBe(served.picks[0]!.ndcg.closeness!.mean);
      expect(other.picks[0]!.ndcg.MostPopular!.mean).toBe(served.picks[0]!.ndcg.MostPopular!.mean);
    }
    // Without a movies file there are no genres to match: the genre weight changes nothing, and it says so.
    const bare = await evaluatePicks([]);
    const bareNoGenres = await evaluatePicks(["--picks-genres", "0"]);
    expect(bare.stdout).toContain("no movies file: the picks' genre match counts nothing");
    expect(bare.picks[0]!.ndcg.closeness!.mean).toBe(bareNoGenres.picks[0]!.ndcg.closeness!.mean);
  }, 240_000);
});
