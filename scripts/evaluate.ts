/**
 * npm run evaluate: the offline evaluation of ../shared/EVALUATION.md. Splits the ratings, trains on the
 * train part with the real trainModel, ranks every test user with the production rankMovies, and prints
 * P/R/NDCG/HR/MAP/Coverage@10 for the cluster method, MostPopular and Random. The logic lives in
 * shared/domain (split, metrics, evaluation, tuning); this file reads flags and files and prints.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { itemNeighbours } from "../shared/domain/ranking/item-neighbours.js";
import {
  distinctMovies,
  evaluateRecommender,
  makeFolds,
  mostPopularRecommender,
  randomRecommender,
  type EvaluationResult,
} from "../shared/domain/evaluation/evaluation.js";
import type { TopNMetrics } from "../shared/domain/evaluation/metrics.js";
import {
  DEFAULT_TUNING_GRID,
  RECOMMENDED_SETTINGS,
  settingsRecommender,
  trainWithSettings,
  tuneOnValidation,
  type MethodSettings,
  type TuningTrial,
} from "../shared/domain/evaluation/tuning.js";
import { adjustedRandIndex } from "../shared/domain/evaluation/adjusted-rand.js";
import { ValidationError } from "../shared/domain/errors.js";
import { CliArgs, runCli } from "./cli-args.js";
import { checkInputFile, checkOutputFile } from "./cli-files.js";
import { readEvaluationInput } from "./evaluation-input.js";

const USAGE = `
Usage: npm run evaluate -- --ratings <ratings.csv | ml-latest-small.zip> --protocol random|temporal
         [--movies <movies.csv>] [--seed N] [--seeds N] [--tune] [--tune-seeds N] [--out recs.csv]
         [--k N|auto] [--geometry cosine|euclidean] [--width N] [--sharpness X] [--neighbours X]
         [--json results.json]
         [--planted planted-groups.csv]

  --ratings     MovieLens-format ratings CSV, or a zip holding ratings.csv (and movies.csv)
  --protocol    random (seed 42, validation 43) or temporal (latest favourites held out)
  --movies      movies.csv: its row count is the catalogue size for coverage (default: the zip's movies.csv,
                else the distinct movies in the ratings)
  --seed        training seed of the first run (default 42)
  --seeds       training runs with seeds seed, seed+1, ...: prints the spread of NDCG@10 (default 1)
  --tune        choose k, geometry, membership width and sharpness on the VALIDATION split, then test
  --tune-seeds  training seeds averaged per tuning trial (default 2)
  --out         write userId,movieId,rank (rank 1..10) of the cluster method for every test user
  --json        write the settings and every method's metrics as JSON
  --planted     generated data's planted-groups.csv: prints the adjusted Rand index of the clusters
                (trained on all ratings, same settings) against the planted taste groups
  --k --geometry --width --sharpness --neighbours   fixed settings (defaults: ${describe(RECOMMENDED_SETTINGS)})
`;

const AT = 10;

function describe(settings: MethodSettings): string {
  return (
    `k=${settings.k} ${settings.geometry}, membership width ${settings.membershipWidth}, ` +
    `sharpness ${settings.membershipSharpness}, neighbour weight ${settings.neighbourWeight}`
  );
}

function row(name: string, m: TopNMetrics): string {
  const f = (x: number): string => x.toFixed(4);
  return [
    name.padEnd(14),
    f(m.precision),
    f(m.recall),
    `${f(m.ndcg)} ±${m.ndcgCi95.toFixed(3)}`.padEnd(15),
    f(m.hitRate),
    f(m.map),
    `${f(m.coverage)} (${m.distinctMovies})`,
  ].join("  ");
}

function recommendationsCsv(result: EvaluationResult): string {
  const lines = ["userId,movieId,rank"];
  for (const [userId, list] of result.lists)
    list.forEach((movieId, i) => lines.push(`${userId},${movieId},${i + 1}`));
  return `${lines.join("\n")}\n`;
}

/** Reads planted-groups.csv (header userId,group) into userId -> group. */
function readPlantedGroups(file: string): Map<number, number> {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  if (lines[0] !== "userId,group")
    throw new ValidationError("--planted", `${file} does not start with userId,group`);
  const groups = new Map<number, number>();
  lines.slice(1).forEach((line, i) => {
    if (line === "") return;
    const match = /^(\d+),(\d+)$/.exec(line);
    if (!match)
      throw new ValidationError(
        "--planted",
        `${file} line ${i + 2} is not userId,group: ${JSON.stringify(line)}`,
      );
    groups.set(Number(match[1]), Number(match[2]));
  });
  return groups;
}

async function main(argv: readonly string[]): Promise<void> {
  const args = new CliArgs(argv, {
    ratings: "value",
    protocol: "value",
    movies: "value",
    seed: "value",
    seeds: "value",
    tune: "switch",
    "tune-seeds": "value",
    out: "value",
    k: "value",
    geometry: "value",
    width: "value",
    sharpness: "value",
    neighbours: "value",
    json: "value",
    planted: "value",
  });
  const ratingsPath = checkInputFile("ratings", args.required("ratings"));
  // Every file named is checked before the (long) evaluation starts.
  for (const flag of ["movies", "planted"]) {
    const file = args.optional(flag);
    if (file !== undefined) checkInputFile(flag, file);
  }
  for (const flag of ["json", "out"]) {
    const file = args.optional(flag);
    if (file !== undefined) checkOutputFile(flag, file);
  }
  args.required("protocol");
  const protocol = args.choice("protocol", ["random", "temporal"] as const, "random");
  const seed = args.int("seed", { default: 42, min: 0, max: 0xffffffff });
  const seeds = args.int("seeds", { default: 1, min: 1, max: 100 });
  const tuneSeeds = args.int("tune-seeds", { default: 2, min: 1, max: 20 });
  let settings: MethodSettings = {
    k: args.autoOrInt("k", { default: RECOMMENDED_SETTINGS.k, min: 1 }),
    geometry: args.choice("geometry", ["cosine", "euclidean"] as const, RECOMMENDED_SETTINGS.geometry),
    membershipWidth: args.int("width", { default: RECOMMENDED_SETTINGS.membershipWidth, min: 1, max: 100 }),
    membershipSharpness: args.number("sharpness", {
      default: RECOMMENDED_SETTINGS.membershipSharpness,
      min: 0,
      max: 100,
    }),
    neighbourWeight: args.number("neighbours", {
      default: RECOMMENDED_SETTINGS.neighbourWeight,
      min: 0,
      max: 100,
    }),
  };

  const started = performance.now();
  const { table, catalogueSize: moviesCount } = await readEvaluationInput(
    ratingsPath,
    args.optional("movies"),
  );
  const catalogueSize = moviesCount ?? distinctMovies(table);
  const folds = makeFolds(table, protocol);
  console.log(
    `${ratingsPath}: ${table.length} rating rows; protocol ${protocol}; ${folds.test.heldOut.size} test users, ` +
      `${folds.validation.heldOut.size} validation users; catalogue ${catalogueSize} movies`,
  );

  if (args.has("tune")) {
    const tuneSeedList = Array.from({ length: tuneSeeds }, (_, i) => seed + i);
    console.log(
      `tuning on the validation split, NDCG@${AT} averaged over training seeds ${tuneSeedList.join(", ")}`,
    );
    const trials = tuneOnValidation(folds.validation, DEFAULT_TUNING_GRID, {
      seeds: tuneSeedList,
      catalogueSize,
      onTrial: (trial: TuningTrial) =>
        console.log(
          `  ${describe(trial.settings).padEnd(55)} ${trial.ndcg.toFixed(4)} [${trial.min.toFixed(4)}, ${trial.max.toFixed(4)}]`,
        ),
    });
    settings = trials[0]!.settings;
    const popular = evaluateRecommender(folds.validation, mostPopularRecommender(folds.validation.train), {
      catalogueSize,
    });
    console.log(
      `chosen on validation: ${describe(settings)} (NDCG@${AT} ${trials[0]!.ndcg.toFixed(4)}; MostPopular ${popular.metrics.ndcg.toFixed(4)})`,
    );
  }

  const runs: { seed: number; result: EvaluationResult; clusters: number; k: number }[] = [];
  const neighbours = settings.neighbourWeight > 0 ? itemNeighbours(folds.test.train) : undefined;
  for (let i = 0; i < seeds; i++) {
    const model = trainWithSettings(folds.test.train, settings, seed + i);
    const result = evaluateRecommender(folds.test, settingsRecommender(model, settings, neighbours), {
      catalogueSize,
    });
    runs.push({ seed: seed + i, result, clusters: model.clusters.length, k: model.kSelection.chosenK });
  }
  const first = runs[0]!;
  const popular = evaluateRecommender(folds.test, mostPopularRecommender(folds.test.train), {
    catalogueSize,
  });
  const random = evaluateRecommender(folds.test, randomRecommender(folds.test.train, seed), {
    catalogueSize,
  });

  console.log(
    `\ntest split, ${describe(settings)}; training seed ${first.seed}: k=${first.k}, ${first.clusters} clusters after folding`,
  );
  console.log(`${"method".padEnd(14)}  P@10    R@10    NDCG@10 (95% CI)  HR@10   MAP@10  Coverage@10`);
  console.log(row("clusters", first.result.metrics));
  console.log(row("MostPopular", popular.metrics));
  console.log(row("Random", random.metrics));
  console.log("(95% CI: normal approximation, 1.96 x sd / sqrt(users))");
  if (seeds > 1) {
    const ndcgs = runs.map((run) => run.result.metrics.ndcg);
    const mean = ndcgs.reduce((sum, x) => sum + x, 0) / ndcgs.length;
    console.log(
      `NDCG@${AT} over ${seeds} training seeds (${runs.map((r) => r.seed).join(", ")}): mean ${mean.toFixed(4)}, ` +
        `min ${Math.min(...ndcgs).toFixed(4)}, max ${Math.max(...ndcgs).toFixed(4)} [${ndcgs.map((x) => x.toFixed(4)).join(" ")}]`,
    );
  }
  let structure: { adjustedRand: number; clusters: number } | undefined;
  const planted = args.optional("planted");
  if (planted !== undefined) {
    const model = trainWithSettings(table, settings, seed);
    const groups = readPlantedGroups(planted);
    const labels = Array.from(model.userIds, (userId) => {
      const group = groups.get(userId);
      if (group === undefined)
        throw new ValidationError("--planted", `${planted} has no group for user ${userId}`);
      return group;
    });
    structure = { adjustedRand: adjustedRandIndex(model.clusterOf, labels), clusters: model.clusters.length };
    console.log(
      `structure recovery (all ratings, training seed ${seed}): adjusted Rand index ${structure.adjustedRand.toFixed(3)} ` +
        `of ${structure.clusters} clusters against ${new Set(groups.values()).size} planted groups`,
    );
  }
  const json = args.optional("json");
  if (json !== undefined) {
    const ndcgs = runs.map((run) => run.result.metrics.ndcg);
    writeFileSync(
      json,
      `${JSON.stringify(
        {
          protocol,
          settings,
          catalogueSize,
          clusters: first.result.metrics,
          mostPopular: popular.metrics,
          random: random.metrics,
          seeds: runs.map((run) => run.seed),
          ndcgBySeed: ndcgs,
          structure,
        },
        null,
        2,
      )}\n`,
    );
  }
  const out = args.optional("out");
  if (out !== undefined) {
    writeFileSync(out, recommendationsCsv(first.result));
    console.log(
      `wrote ${out}: top ${AT} of the cluster method (training seed ${first.seed}) for ${first.result.lists.size} test users`,
    );
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await runCli(USAGE, main);
