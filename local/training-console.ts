import type { RunProgress, SkipResult, TrainResult } from "../functions/train-model/create-handler.js";
import type { TrainingLog, TrainingMetrics } from "../functions/train-model/telemetry.js";

/** What `npm start` gives the training handler in place of Powertools: readable progress on the terminal. */
export interface TrainingConsole {
  readonly deps: {
    readonly log: TrainingLog;
    readonly metrics: TrainingMetrics;
    readonly onProgress: (progress: RunProgress) => void;
  };
  /** Marks the start of a run: log lines show the seconds since. */
  begin(): void;
  /** Prints the summary line of a finished run. */
  finish(result: TrainResult | SkipResult): void;
}

function describe(value: unknown): string {
  if (value instanceof Error) {
    const cause = value.cause === undefined ? "" : ` (cause: ${describe(value.cause)})`;
    return `${value.name}: ${value.message}${cause}`;
  }
  if (typeof value === "number" && !Number.isInteger(value)) return String(Number(value.toFixed(3)));
  if (Array.isArray(value))
    return value.map((item) => (typeof item === "object" ? JSON.stringify(item) : String(item))).join("; ");
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function attributes(extra: Record<string, unknown> | undefined): string {
  if (!extra) return "";
  const parts = Object.entries(extra)
    .filter(([key]) => key !== "runId" && key !== "error")
    .map(([key, value]) => `${key} ${describe(value)}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** Builds the terminal logger, a no-op metrics sink (EMF is for CloudWatch) and a progress printer. */
export function createTrainingConsole(say: (line: string) => void): TrainingConsole {
  const tty = process.stdout.isTTY === true;
  let started = performance.now();
  const at = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s]`;
  let lastRows = 0;
  let lastIteration = "";
  const clearLine = () => {
    if (tty) process.stdout.write("\r\u001b[2K");
  };
  return {
    deps: {
      log: {
        info: (message, extra) => {
          clearLine();
          say(`  ${at()} ${message}${attributes(extra)}`);
        },
        warn: (message, extra) => {
          clearLine();
          say(`  ${at()} warning: ${message}${attributes(extra)}`);
        },
        error: (message, extra) => {
          clearLine();
          say(`  ${at()} ERROR: ${message}${attributes(extra)}`);
          if (extra?.error !== undefined) say(`    ${describe(extra.error)}`);
        },
      },
      metrics: { succeeded: () => undefined, failed: () => undefined, refused: () => undefined },
      onProgress: (progress) => {
        if (progress.stage === "reading") {
          if (tty && progress.rows - lastRows >= 50_000) {
            lastRows = progress.rows;
            process.stdout.write(`\r  reading ratings: ${progress.rows.toLocaleString("en-GB")} rows`);
          }
        } else if (progress.stage === "k-selection") {
          clearLine();
          const silhouette =
            progress.silhouette === null ? "" : `, silhouette ${progress.silhouette.toFixed(3)}`;
          say(`  k=${progress.k}: WCSS ${progress.wcss.toFixed(1)}${silhouette}`);
        } else if (progress.stage === "iteration") {
          lastIteration = `  restart ${progress.restart + 1}, iteration ${progress.iteration}: inertia ${progress.inertia.toFixed(1)}`;
          if (tty) process.stdout.write(`\r\u001b[2K${lastIteration}`);
        } else if (progress.stage === "writing") {
          clearLine();
          if (!tty && lastIteration) say(lastIteration);
          say(`  ${at()} writing model version ${progress.version}`);
        }
      },
    },
    begin: () => {
      started = performance.now();
      lastRows = 0;
      lastIteration = "";
    },
    finish: (result) => {
      clearLine();
      if (result.status === "skipped") {
        say(`  skipped: ${result.reason}`);
        return;
      }
      say(
        `Trained model ${result.version} in ${(result.durationMs / 1000).toFixed(1)} s: k=${result.k} ` +
          `(${result.clusters} clusters after folding), ${result.users} users, ${result.favourites} favourites, ` +
          `${result.rowsRead} rating rows (${result.badRows} bad), ` +
          `${result.apiFavourites.recorded} favourites and ${result.apiFavourites.removed} removals from the API merged.`,
      );
    },
  };
}
