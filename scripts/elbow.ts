/**
 * `npm run elbow -- --ratings <file> [--k 2..30] [--seed N] [--geometry cosine|euclidean]
 * [--rule knee|silhouette] [--favourite-threshold X] --out elbow.svg`: sweeps k, writes the SVG chart of
 * WCSS and silhouette against k and the JSON k-selection report beside it (elbow.json).
 */
import { writeFileSync } from "node:fs";
import { renderElbowSvg } from "../shared/domain/clustering/elbow-svg.js";
import { selectK } from "../shared/domain/clustering/k-selection.js";
import { buildFavouriteMatrix } from "../shared/domain/clustering/sparse-matrix.js";
import { TRAINING_DEFAULTS } from "../shared/domain/settings.js";
import { readRatingsFile } from "../shared/io/read-ratings.js";
import { CliArgs, runCli } from "./cli-args.js";
import { checkInputFile, checkOutputFile } from "./cli-files.js";

const USAGE = `
Usage: npm run elbow -- --ratings <file> --out <elbow.svg> [options]

  --ratings <file>            ratings CSV (userId,movieId,rating[,timestamp]) or favourites CSV (userId,movieId)
  --k A..B                    k values to try (default ${TRAINING_DEFAULTS.kRange[0]}..${TRAINING_DEFAULTS.kRange[1]})
  --seed N                    random seed (default ${TRAINING_DEFAULTS.seed})
  --geometry cosine|euclidean (default ${TRAINING_DEFAULTS.geometry})
  --rule knee|silhouette      how k is chosen (default knee)
  --favourite-threshold X     a rating >= X is a favourite (default ${TRAINING_DEFAULTS.favouriteThreshold})
  --max-bad-share X           fail when more than this share of rows is malformed (default ${TRAINING_DEFAULTS.maxBadShare})
  --out <file.svg>            the chart; the JSON report goes beside it with a .json extension
`;

/** elbow.svg -> elbow.json; any other name gets .json appended. */
function reportPathFor(svgPath: string): string {
  return svgPath.toLowerCase().endsWith(".svg") ? `${svgPath.slice(0, -4)}.json` : `${svgPath}.json`;
}

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, {
    ratings: "value",
    k: "value",
    seed: "value",
    geometry: "value",
    rule: "value",
    "favourite-threshold": "value",
    "max-bad-share": "value",
    out: "value",
  });
  const ratingsFile = checkInputFile("ratings", args.required("ratings"));
  const out = checkOutputFile("out", args.required("out"));
  const kRange = args.range("k", { default: TRAINING_DEFAULTS.kRange, min: 1 });
  const seed = args.int("seed", { default: TRAINING_DEFAULTS.seed, min: 0, max: 2 ** 31 - 1 });
  const geometry = args.choice("geometry", ["cosine", "euclidean"] as const, TRAINING_DEFAULTS.geometry);
  const rule = args.choice("rule", ["knee", "silhouette"] as const, "knee");
  const favouriteThreshold = args.number("favourite-threshold", {
    default: TRAINING_DEFAULTS.favouriteThreshold,
    min: 0.5,
    max: 5,
  });
  const maxBadShare = args.number("max-bad-share", {
    default: TRAINING_DEFAULTS.maxBadShare,
    min: 0,
    max: 1,
  });

  const started = performance.now();
  const { table, report: parse } = await readRatingsFile(ratingsFile, { favouriteThreshold, maxBadShare });
  process.stderr.write(`read ${parse.rowsRead} rows (${parse.badRows} malformed) from ${ratingsFile}\n`);
  const matrix = buildFavouriteMatrix(table);
  process.stderr.write(`matrix: ${matrix.rows} users x ${matrix.cols} movies, ${matrix.nnz} favourites\n`);
  const report = selectK(matrix, {
    seed,
    kRange,
    geometry,
    rule,
    onCandidate: (c) =>
      process.stderr.write(
        `k=${c.k}: WCSS ${c.wcss.toFixed(1)}${c.silhouette === null ? "" : `, silhouette ${c.silhouette.toFixed(3)}`}\n`,
      ),
  });
  writeFileSync(out, renderElbowSvg(report));
  const jsonFile = reportPathFor(out);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `k:          ${report.chosenK} (rule: ${report.rule}, confidence: ${report.confidence}) ${report.explanation}\n` +
      `tried:      k = ${report.candidates[0]?.k}..${report.candidates.at(-1)?.k} (${report.candidates.length} values, ${geometry})\n` +
      `chart:      ${out}\nreport:     ${jsonFile}\ntime:       ${seconds.toFixed(1)} s\n`,
  );
});
