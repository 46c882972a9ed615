/**
 * `npx tsx scripts/bench-parse.ts --ratings <file> [--movies <file>] [--json]`: measures the streaming
 * ratings parser (rows/s, MB/s, peak RSS) on a file, and the movies parser when given.
 */
import { statSync } from "node:fs";
import { readMoviesFile, readRatingsFile } from "../shared/io/read-ratings.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npx tsx scripts/bench-parse.ts --ratings <file> [--movies <file>] [--json]
`;

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, { ratings: "value", movies: "value", json: "switch" });
  const file = args.required("ratings");
  const bytes = statSync(file).size;
  const started = performance.now();
  const { table, report } = await readRatingsFile(file);
  const parseSeconds = (performance.now() - started) / 1000;
  const result: Record<string, number> = {
    rows: report.rowsRead,
    kept: table.length,
    badRows: report.badRows,
    duplicates: report.duplicates,
    parseSeconds,
    rowsPerSecond: report.rowsRead / parseSeconds,
    megabytesPerSecond: bytes / 1e6 / parseSeconds,
  };
  const movies = args.optional("movies");
  if (movies !== undefined) {
    const moviesStarted = performance.now();
    const parsed = await readMoviesFile(movies);
    result.movies = parsed.movies.length;
    result.moviesSeconds = (performance.now() - moviesStarted) / 1000;
  }
  result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  if (args.has("json")) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `${file}: ${report.rowsRead} rows (${(bytes / 1e6).toFixed(1)} MB) in ${parseSeconds.toFixed(2)} s = ` +
      `${(result.rowsPerSecond! / 1e6).toFixed(2)} M rows/s, ${result.megabytesPerSecond!.toFixed(0)} MB/s; ` +
      `bad ${report.badRows}, duplicates ${report.duplicates}; peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB\n`,
  );
  if (movies !== undefined) {
    process.stdout.write(`${movies}: ${result.movies} movies in ${result.moviesSeconds!.toFixed(2)} s\n`);
  }
});
