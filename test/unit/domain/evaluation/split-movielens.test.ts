import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEvaluationInput } from "../../../../scripts/evaluation-input.js";
import { makeFolds } from "../../../../shared/domain/evaluation/evaluation.js";
import { formatRatingsCsv, selectRows, splitRatings } from "../../../../shared/domain/evaluation/split.js";

const shared = path.resolve(import.meta.dirname, "../../../../../shared");
const zip = path.join(shared, "datasets/ml-latest-small.zip");
const splits = path.join(shared, "eval/splits/ml-latest-small");

describe.skipIf(!existsSync(zip) || !existsSync(splits))("the split of ml-latest-small", () => {
  for (const protocol of ["random", "temporal"] as const) {
    it(`reproduces the ${protocol} split files byte for byte`, async () => {
      const { table, catalogueSize } = await readEvaluationInput(zip);
      expect(catalogueSize).toBe(9742);
      const dir = protocol === "random" ? splits : path.join(splits, "temporal");
      const expected = (file: string): string => readFileSync(path.join(dir, file), "utf8");
      const test = splitRatings(table, { protocol, seed: 42 });
      const train = selectRows(table, test.isTest, 0);
      expect(test.testUsers.length).toBe(603);
      expect(formatRatingsCsv(train) === expected("train.csv")).toBe(true);
      expect(formatRatingsCsv(selectRows(table, test.isTest, 1)) === expected("test.csv")).toBe(true);
      const validation = splitRatings(train, { protocol, seed: 43 });
      expect(validation.testUsers.length).toBe(599);
      expect(formatRatingsCsv(selectRows(train, validation.isTest, 1)) === expected("val_test.csv")).toBe(
        true,
      );
      // makeFolds is the same split, as the harness uses it.
      const folds = makeFolds(table, protocol);
      expect(folds.test.train.length).toBe(91132);
      expect(folds.validation.train.length).toBe(91132 - 7772);
    });
  }
});
