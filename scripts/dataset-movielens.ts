/**
 * `npm run dataset:movielens [-- --url <zip-url>] [--out <dir>] [--force]`: downloads ml-latest-small from
 * GroupLens and unzips ratings.csv and movies.csv into .local-data/datasets/ml-latest-small/.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import {
  DownloadError,
  downloadMovieLens,
  hasMovieLens,
  MOVIELENS_DIR,
  MOVIELENS_SMALL_URL,
} from "../local/movielens-download.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: MOVIELENS_SMALL_URL },
      out: { type: "string", default: MOVIELENS_DIR },
      force: { type: "boolean", default: false },
    },
  });
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
}

main().catch((error: unknown) => {
  console.error(error instanceof DownloadError ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
