import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEvaluationInput } from "../../../scripts/evaluation-input.js";
import { ValidationError } from "../../../shared/domain/errors.js";

const dir = mkdtempSync(path.join(tmpdir(), "cinecluster-eval-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readEvaluationInput", () => {
  it("names the flag and the download command when the ratings file does not exist", async () => {
    const missing = path.join(dir, "ml-latest-small.zip");
    const error = await readEvaluationInput(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("--ratings");
    expect((error as ValidationError).message).toBe(
      `--ratings ${missing}: no such file. For MovieLens, run npm run dataset:movielens and pass ` +
        `--ratings .local-data/datasets/ml-latest-small/ratings.csv ` +
        `--movies .local-data/datasets/ml-latest-small/movies.csv`,
    );
  });

  it("names --movies when only the movies file is missing", async () => {
    const ratings = path.join(dir, "ratings.csv");
    writeFileSync(ratings, "userId,movieId,rating\n1,2,4.5\n");
    const error = await readEvaluationInput(ratings, path.join(dir, "movies.csv")).catch((e: unknown) => e);
    expect((error as ValidationError).field).toBe("--movies");
  });

  it("reads a ratings file that exists", async () => {
    const ratings = path.join(dir, "ratings.csv");
    writeFileSync(ratings, "userId,movieId,rating\n1,2,4.5\n1,3,2\n");
    const input = await readEvaluationInput(ratings);
    expect(Array.from(input.table.movieIds)).toEqual([2, 3]);
    expect(input.catalogueSize).toBeUndefined();
  });
});
