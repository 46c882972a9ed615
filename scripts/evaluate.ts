/**
 * npm run evaluate: the offline evaluation of ../shared/EVALUATION.md. Splits the ratings, trains on the
 * train part with the real trainModel, ranks every test user with the production rankMovies, and prints
 * P/R/NDCG/HR/MAP/Coverage@10 for cinecluster beside the baselines (EASE, RP3beta, ItemKNN, MostPopular,
 * Random), all under the same exclusion. The logic lives in shared/domain (split, metrics, evaluation,
 * baselines, tuning); this file reads flags and files and prints.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { buildFavouriteMatrix } from "../shared/domain/clustering/sparse-matrix.js";
import { ValidationError } from "../shared/domain/errors.js";
import { adjustedRandIndex } from "../shared/domain/evaluation/adjusted-rand.js";
import { baselines, defaultBaselineSettings } from "../shared/domain/evaluation/baselines.js";
import {
  DEFAULT_EXCLUSION,
  distinctMovies,
  type EvaluationResult,
  type Exclusion,
  evaluateRecommender,
  makeFolds,
  mostPopularRecommender,
  type Recommender,
} from "../shared/domain/evaluation/evaluation.js";
import type { TopNMetrics } from "../shared/domain/evaluation/metrics.js";
import {
  closenessPicksRecommender,
  coveringPicksRecommender,
  evaluatePicks,
  PREVIOUS_PICKS_RULE,
} from "../shared/domain/evaluation/picks-evaluation.js";
import {
  DEFAULT_TUNING_GRID,
  type MethodSettings,
  PRODUCTION_SETTINGS,
  settingsRecommender,
  type TuningTrial,
  trainWithSettings,
  tuneOnValidation,
} from "../shared/domain/evaluation/tuning.js";
import { itemNeighbours } from "../shared/domain/ranking/item-neighbours.js";
import { SERVING_DEFAULTS } from "../shared/domain/settings.js";
import { CliArgs, runCli } from "./cli-args.js";
import { checkInputFile, checkOutputFile } from "./cli-files.js";
import { readEvaluationInput } from "./evaluation-input.js";

const USAGE = `
Usage: npm run evaluate -- --ratings <ratings.csv | ml-latest-small.zip> --protocol random|temporal
         [--movies <movies.csv>] [--seed N] [--seeds N] [--tune] [--tune-seeds N] [--out recs.csv]
         [--k N|auto] [--geometry cosine|euclidean] [--width N] [--sharpness X] [--neighbours X]
         [--json results.json] [--exclusion rated|favourites] [--ease-movies N] [--no-baselines] [--picks 3,5]
         [--picks-neighbours X] [--picks-scale max|mean] [--picks-split test|validation]
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
  --exclusion   rated (default): a list never holds a movie the user rated in train, at any value, as the API
                does; favourites: only the training favourites are excluded (the common reference protocol)
  --ease-movies EASE baseline restricted to this many most-favourited movies (default 1000: a dense
                movies^2 inverse, ~3 s at 1,000, cubic in N)
  --no-baselines  print cinecluster, MostPopular and Random only (skips EASE, RP3beta, ItemKNN)
  --picks       also score recommendations from N random training favourites per test user (POST
                /recommendations): placement by closeness vs the covering-cluster rule (same blend, and
                as first favourites were ranked before) vs MostPopular and, without --no-baselines,
                EASE, RP3beta and ItemKNN from the same picks, with paired 95% intervals over users,
                each user's score averaged over the --seeds training seeds; e.g. --picks 3,5
  --picks-neighbours  weight of the picks' neighbours in their ranking (default production's,
                ${SERVING_DEFAULTS.picksNeighbourWeight}; users' is --neighbours)
  --picks-scale how the picks' neighbour part is scaled before blending: mean (divided by the number of
                picks; production's: ${SERVING_DEFAULTS.picksNeighbourScale}) or max (by its maximum)
  --picks-everyone  weight of everyone's favourite counts beside the placed groups (default production's,
                ${SERVING_DEFAULTS.picksEveryoneWeight}; 0 leaves them out)
  --picks-genres  weight of the picks' genre match (default production's, ${SERVING_DEFAULTS.picksGenreWeight}; needs
                the movies file: a zip's movies.csv or --movies)
  --picks-split test (default) or validation: score the picks on the validation split (trained on its
                own training part) to choose settings, then confirm them on test
  --planted     generated data's planted-groups.csv: prints the adjusted Rand index of the clusters
                (trained on all ratings, same settings) against the planted taste groups
  --k --geometry --width --sharpness --neighbours   fixed settings (defaults are production's: ${describe(PRODUCTION_SETTINGS)})
`;

const AT = 10;

/** Counts read per cluster when ranking from picks, as serving reads them (candidatePool). */
const PICKS_TOP_COUNTS = 100;

function describe(settings: MethodSettings): string {
  return (
    `k=${settings.k} ${settings.geometry}, membership width ${settings.membershipWidth}, ` +
    `sharpness ${settings.membershipSharpness}, neighbour weight ${settings.neighbourWeight}`
  );
}

function row(name: string, m: TopNMetrics): string {
  const f = (x: number): string => x.toFixed(4);
  return [
    name.padEnd(16),
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
    list.forEach((movieId, i) => {
      lines.push(`${userId},${movieId},${i + 1}`);
    });
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
    exclusion: "value",
    "ease-movies": "value",
    "no-baselines": "switch",
    picks: "value",
    "picks-neighbours": "value",
    "picks-scale": "value",
    "picks-split": "value",
    "picks-everyone": "value",
    "picks-genres": "value",
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
  const exclusion: Exclusion = args.choice("exclusion", ["rated", "favourites"] as const, DEFAULT_EXCLUSION);
  const baselineSettings = {
    ...defaultBaselineSettings(protocol),
    ...(args.has("ease-movies") ? { easeMovies: args.int("ease-movies", { default: 1000, min: 1 }) } : {}),
  };
  let settings: MethodSettings = {
    k: args.autoOrInt("k", { default: PRODUCTION_SETTINGS.k, min: 1 }),
    geometry: args.choice("geometry", ["cosine", "euclidean"] as const, PRODUCTION_SETTINGS.geometry),
    membershipWidth: args.int("width", { default: PRODUCTION_SETTINGS.membershipWidth, min: 1, max: 100 }),
    membershipSharpness: args.number("sharpness", {
      default: PRODUCTION_SETTINGS.membershipSharpness,
      min: 0,
      max: 100,
    }),
    neighbourWeight: args.number("neighbours", {
      default: PRODUCTION_SETTINGS.neighbourWeight,
      min: 0,
      max: 100,
    }),
  };

  const started = performance.now();
  const {
    table,
    catalogueSize: moviesCount,
    movies,
  } = await readEvaluationInput(ratingsPath, args.optional("movies"));
  const catalogueSize = moviesCount ?? distinctMovies(table);
  const folds = makeFolds(table, protocol);
  console.log(
    `${ratingsPath}: ${table.length} rating rows; protocol ${protocol}; ${folds.test.heldOut.size} test users, ` +
      `${folds.validation.heldOut.size} validation users; catalogue ${catalogueSize} movies; excluded: ` +
      (exclusion === "rated" ? "every movie the user rated in train" : "the user's training favourites"),
  );

  if (args.has("tune")) {
    const tuneSeedList = Array.from({ length: tuneSeeds }, (_, i) => seed + i);
    console.log(
      `tuning on the validation split, NDCG@${AT} averaged over training seeds ${tuneSeedList.join(", ")}`,
    );
    const trials = tuneOnValidation(folds.validation, DEFAULT_TUNING_GRID, {
      seeds: tuneSeedList,
      catalogueSize,
      exclusion,
      onTrial: (trial: TuningTrial) =>
        console.log(
          `  ${describe(trial.settings).padEnd(55)} ${trial.ndcg.toFixed(4)} [${trial.min.toFixed(4)}, ${trial.max.toFixed(4)}]`,
        ),
    });
    settings = trials[0]!.settings;
    const popular = evaluateRecommender(folds.validation, mostPopularRecommender(folds.validation.train), {
      catalogueSize,
      exclusion,
    });
    console.log(
      `chosen on validation: ${describe(settings)} (NDCG@${AT} ${trials[0]!.ndcg.toFixed(4)}; MostPopular ${popular.metrics.ndcg.toFixed(4)})`,
    );
  }

  const runs: { seed: number; result: EvaluationResult; clusters: number; k: number }[] = [];
  const picksNeighbourWeight = args.number("picks-neighbours", {
    default: SERVING_DEFAULTS.picksNeighbourWeight,
    min: 0,
    max: 100,
  });
  const picksScale = args.choice(
    "picks-scale",
    ["max", "mean"] as const,
    SERVING_DEFAULTS.picksNeighbourScale,
  );
  const picksSplit = args.choice("picks-split", ["test", "validation"] as const, "test");
  const picksEveryone = args.number("picks-everyone", {
    default: SERVING_DEFAULTS.picksEveryoneWeight,
    min: 0,
    max: 100,
  });
  const picksGenres = args.number("picks-genres", {
    default: SERVING_DEFAULTS.picksGenreWeight,
    min: 0,
    max: 100,
  });
  // The picks always need neighbours: covering-before ranks with them whatever --picks-neighbours says.
  const neighbours =
    settings.neighbourWeight > 0 || args.has("picks")
      ? itemNeighbours(buildFavouriteMatrix(folds.test.train))
      : undefined;
  for (let i = 0; i < seeds; i++) {
    const model = trainWithSettings(folds.test.train, settings, seed + i);
    const result = evaluateRecommender(folds.test, settingsRecommender(model, settings, neighbours), {
      catalogueSize,
      exclusion,
    });
    runs.push({ seed: seed + i, result, clusters: model.clusters.length, k: model.kSelection.chosenK });
  }
  const first = runs[0]!;
  const others: { name: string; metrics: TopNMetrics; seconds: number }[] = [];
  for (const baseline of baselines(baselineSettings, seed)) {
    if (args.has("no-baselines") && baseline.name !== "MostPopular" && baseline.name !== "Random") continue;
    const begun = performance.now();
    const recommend = baseline.build(folds.test.train);
    const { metrics } = evaluateRecommender(folds.test, recommend, { catalogueSize, exclusion });
    others.push({ name: baseline.name, metrics, seconds: (performance.now() - begun) / 1000 });
  }

  console.log(
    `\ntest split, ${describe(settings)}; training seed ${first.seed}: k=${first.k}, ${first.clusters} clusters after folding`,
  );
  console.log(`${"method".padEnd(16)}  P@10    R@10    NDCG@10 (95% CI)  HR@10   MAP@10  Coverage@10`);
  console.log(row("cinecluster", first.result.metrics));
  for (const other of others) console.log(row(other.name, other.metrics));
  console.log("(95% CI: normal approximation, 1.96 x sd / sqrt(users))");
  console.log(
    `baselines: EASE lambda ${baselineSettings.easeLambda} on the ${baselineSettings.easeMovies} most favourited movies; ` +
      `RP3beta alpha ${baselineSettings.rp3Alpha} beta ${baselineSettings.rp3Beta}, no pruning; ` +
      `ItemKNN cosine, 10 neighbours per candidate (${others.map((o) => `${o.name} ${o.seconds.toFixed(1)} s`).join(", ")})`,
  );
  if (seeds > 1) {
    console.log(
      `cinecluster over ${seeds} training seeds (${runs.map((r) => r.seed).join(", ")}): mean [min, max]`,
    );
    for (const key of ["precision", "recall", "ndcg", "hitRate", "map", "coverage"] as const) {
      const values = runs.map((run) => run.result.metrics[key]);
      const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
      console.log(
        `  ${key.padEnd(10)} ${mean.toFixed(4)} [${Math.min(...values).toFixed(4)}, ${Math.max(...values).toFixed(4)}]` +
          (key === "ndcg" ? `  (${values.map((x) => x.toFixed(4)).join(" ")})` : ""),
      );
    }
    const ndcgs = runs.map((run) => run.result.metrics.ndcg);
    const mean = ndcgs.reduce((sum, x) => sum + x, 0) / ndcgs.length;
    console.log(
      `NDCG@${AT} over ${seeds} training seeds (${runs.map((r) => r.seed).join(", ")}): mean ${mean.toFixed(4)}, ` +
        `min ${Math.min(...ndcgs).toFixed(4)}, max ${Math.max(...ndcgs).toFixed(4)}`,
    );
  }
  const picksResults: Record<string, unknown>[] = [];
  const picksOption = args.optional("picks");
  if (picksOption !== undefined) {
    const counts = picksOption.split(",").map((part) => Number(part));
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 20)) {
      throw new ValidationError(
        "--picks",
        `--picks must be whole numbers from 1 to 20, e.g. 3,5; got ${picksOption}`,
      );
    }
    // Tune on the validation split (its own training part, model and neighbours), confirm on test.
    const fold = picksSplit === "test" ? folds.test : folds.validation;
    // Each split's own neighbours: the test split's training part holds the validation split's held-out
    // favourites, so its neighbours would leak them into a validation score.
    const picksNeighbours =
      picksSplit === "test" ? neighbours : itemNeighbours(buildFavouriteMatrix(fold.train));
    const ranking = {
      topCounts: PICKS_TOP_COUNTS,
      neighbourWeight: picksNeighbourWeight,
      neighbourScale: picksScale,
      everyoneWeight: picksEveryone,
      genreWeight: picksGenres,
      movies,
      ...(picksNeighbours ? { neighbours: picksNeighbours } : {}),
    };
    if (picksGenres > 0 && movies.length === 0) {
      console.log(
        "no movies file: the picks' genre match counts nothing (give --movies, or a zip with movies.csv)",
      );
    }
    const popularPicks = mostPopularRecommender(fold.train);
    // The model baselines from the same picks (a pick set stands for a user's favourites), unless skipped.
    const modelBaselines = args.has("no-baselines")
      ? []
      : baselines(baselineSettings, seed)
          .filter((b) => b.name !== "MostPopular" && b.name !== "Random")
          .map((b) => ({ name: b.name, recommend: b.build(fold.train) }));
    const fromPicks = (recommend: Recommender) => (picks: readonly number[], limit: number) =>
      recommend(0, { favourites: new Set(picks), exclude: new Set(picks) }, limit);
    // One run per training seed: the model is trained and the picks drawn with it (--seeds).
    const picksRuns = runs.map(({ seed: runSeed }) => {
      const model = trainWithSettings(fold.train, settings, runSeed);
      return {
        seed: runSeed,
        methods: [
          {
            name: "closeness",
            recommend: closenessPicksRecommender(model, fold.train, {
              ...ranking,
              width: settings.membershipWidth,
              sharpness: settings.membershipSharpness,
            }),
          },
          { name: "covering", recommend: coveringPicksRecommender(model, fold.train, ranking) },
          {
            name: "covering-before",
            recommend: coveringPicksRecommender(model, fold.train, { ...ranking, ...PREVIOUS_PICKS_RULE }),
          },
          { name: "MostPopular", recommend: fromPicks(popularPicks) },
          ...modelBaselines.map((b) => ({ name: b.name, recommend: fromPicks(b.recommend) })),
        ],
      };
    });
    const seedList = picksRuns.map((run) => run.seed).join(", ");
    for (const n of counts) {
      const result = evaluatePicks(fold, picksRuns, { picks: n });
      console.log(
        `\nrecommendations from ${n} picks (random training favourites; training and draw seeds ${seedList}, ` +
          `each user's NDCG averaged over them; picks' neighbour weight ${picksNeighbourWeight}, scaled by ` +
          `${picksScale}; everyone's counts at ${picksEveryone}; genre match at ${picksGenres}): ` +
          `${result.users} ${picksSplit} users`,
      );
      for (const r of result.results)
        console.log(`  ${r.name.padEnd(16)} NDCG@${AT} ${r.ndcg.toFixed(4)} ±${r.ndcgCi95.toFixed(4)}`);
      console.log(
        `  (covering: the cluster covering most picks, same blend; covering-before: that cluster with the ` +
          `neighbours max-scaled at weight ${PREVIOUS_PICKS_RULE.neighbourWeight}, how first favourites were ranked before)`,
      );
      const pairs = ["covering", "covering-before", "MostPopular", ...modelBaselines.map((b) => b.name)].map(
        (b) => result.paired("closeness", b),
      );
      for (const p of pairs) {
        console.log(
          `  ${p.a} - ${p.b}: ${p.meanDifference >= 0 ? "+" : ""}${p.meanDifference.toFixed(4)} ` +
            `[${(p.meanDifference - p.ci95).toFixed(4)}, ${(p.meanDifference + p.ci95).toFixed(4)}] (paired 95%)`,
        );
      }
      picksResults.push({
        picks: n,
        neighbourWeight: picksNeighbourWeight,
        neighbourScale: picksScale,
        everyoneWeight: picksEveryone,
        genreWeight: picksGenres,
        split: picksSplit,
        seeds: picksRuns.map((run) => run.seed),
        users: result.users,
        ndcg: Object.fromEntries(result.results.map((r) => [r.name, { mean: r.ndcg, ci95: r.ndcgCi95 }])),
        paired: pairs,
      });
    }
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
          exclusion,
          baselineSettings,
          catalogueSize,
          clusters: first.result.metrics,
          mostPopular: others.find((o) => o.name === "MostPopular")!.metrics,
          random: others.find((o) => o.name === "Random")!.metrics,
          baselines: Object.fromEntries(others.map((o) => [o.name, o.metrics])),
          seeds: runs.map((run) => run.seed),
          ndcgBySeed: ndcgs,
          structure,
          picks: picksResults,
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
