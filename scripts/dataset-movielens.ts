/**
 * `npm run dataset:movielens [-- --url <zip-url>] [--out <dir>] [--force]`: downloads ml-latest-small from
 * GroupLens and unzips ratings.csv and movies.csv into .local-data/datasets/ml-latest-small/.
 */
import path from "node:path";
import {
  DownloadError,
  downloadMovieLens,
  hasMovieLens,
  MOVIELENS_DIR,
  MOVIELENS_SMALL_URL,
} from "../local/movielens-download.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npm run dataset:movielens [-- --url <zip-url>] [--out <dir>] [--force]

Downloads MovieLens ml-latest-small from GroupLens and unzips ratings.csv and movies.csv.
  --url <zip-url>   where to download from (default ${MOVIELENS_SMALL_URL})
  --out <dir>       where to unzip (default ${MOVIELENS_DIR})
  --force           download again even when the files are there
`;

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, { url: "value", out: "value", force: "switch" });
  const values = {
    url: args.optional("url") ?? MOVIELENS_SMALL_URL,
    out: args.optional("out") ?? MOVIELENS_DIR,
    force: args.has("force"),
  };
  const destDir = path.resolve(values.out);
  if (!values.force && hasMovieLens(destDir)) {
    console.log(`MovieLens is already in ${destDir} (pass --force to download it again).`);
    return;
  }
  console.log(`Downloading ${values.url}`);
  let lastShown = 0;
  const result = await downloadMovieLens({
    url: values.url,
    destDir,
    onProgress: (received, total) => {
      if (received - lastShown < 256 * 1024 && received !== total) return;
      lastShown = received;
      const of = total ? ` of ${(total / 1e6).toFixed(1)} MB` : "";
      process.stdout.write(`\r  ${(received / 1e6).toFixed(1)} MB${of}`);
    },
  });
  process.stdout.write("\n");
  console.log(
    `Wrote ${result.files["ratings.csv"]} and ${result.files["movies.csv"]} (zip ${result.zipBytes} bytes).`,
  );
}).catch((error: unknown) => {
  if (!(error instanceof DownloadError)) throw error;
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
});
