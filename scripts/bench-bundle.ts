import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import {
  BUNDLE_FILE,
  esbuildOptions,
  handlerEntry,
  PROJECT_ROOT,
  RUNTIME_NODE_OPTIONS,
} from "../infra/bundling.js";
import { functionEnvironment } from "../infra/function-environment.js";
import { ALL_FUNCTIONS, FUNCTION_SPECS, type FunctionName, isApiFunction } from "../infra/function-specs.js";
import { readSettings } from "../infra/settings.js";
import { CliArgs, runCli } from "./cli-args.js";

/**
 * `npm run bench:bundle [-- --runs N] [--json]`: bundles every function exactly as the stack does
 * (infra/bundling.ts), then reports each bundle's minified and gzipped size, the packages that weigh most in
 * it (esbuild metafile), and its module-load time: `import()` of the bundle in a fresh Node process with the
 * environment the stack sets, median of N runs, wall-clock and CPU. Externals (@aws-sdk/*) resolve from
 * node_modules here, as they resolve from the runtime in Lambda, so their load time is included.
 */

const USAGE = `
Usage: npm run bench:bundle -- [--runs N] [--json]

Bundles every function as the stack does and reports its minified and gzipped size, its heaviest packages,
and the median time of importing it in a fresh Node process.

  --runs N   fresh-process imports per bundle (default 7)
  --json     one JSON object instead of the table
`;

const TARGET_API_BYTES = 300 * 1024;
const TARGET_LOAD_MS = 150;
const OUT_DIR = path.join(PROJECT_ROOT, "out", "bench-bundle");
const run = promisify(execFile);

interface BundleFigures {
  readonly name: FunctionName;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Wall-clock milliseconds of the import (what a cold start waits), median and each run. */
  readonly loadMsMedian: number;
  readonly loadMsRuns: number[];
  /** CPU milliseconds (user + system) of the import, median: steadier than wall time on a busy machine. */
  readonly cpuMsMedian: number;
  readonly heaviest: { readonly module: string; readonly bytes: number }[];
  readonly overTarget: string[];
}

/** Bytes each package (or first-party folder) contributes to the output, heaviest first. */
function heaviestModules(metafile: Metafile, outfile: string): { module: string; bytes: number }[] {
  const output = Object.entries(metafile.outputs).find(
    ([file]) => path.resolve(PROJECT_ROOT, file) === outfile,
  );
  const byModule = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const module = match ? match[1]! : input.split("/").slice(0, 2).join("/");
    byModule.set(module, (byModule.get(module) ?? 0) + bytesInOutput);
  }
  return [...byModule.entries()]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4);
}

/** Wall-clock and CPU milliseconds of one `import()` of a module in a fresh process. */
async function loadOnce(
  file: string,
  env: Record<string, string>,
): Promise<{ wallMs: number; cpuMs: number }> {
  const script =
    "const c0 = process.cpuUsage(); const t0 = performance.now(); await import(process.argv[1]); " +
    "const wallMs = performance.now() - t0; const c = process.cpuUsage(c0); " +
    "process.stdout.write(JSON.stringify({ wallMs, cpuMs: (c.user + c.system) / 1000 }));";
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", script, pathToFileURL(file).href],
    {
      env: { AWS_REGION: "eu-west-1", NODE_OPTIONS: RUNTIME_NODE_OPTIONS, ...env },
      cwd: path.dirname(file),
    },
  );
  return JSON.parse(stdout) as { wallMs: number; cpuMs: number };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function benchOne(name: FunctionName, runs: number): Promise<BundleFigures> {
  const outfile = path.join(OUT_DIR, name, BUNDLE_FILE);
  const result = await build(esbuildOptions(handlerEntry(name), outfile));
  const bytes = statSync(outfile).size;
  const gzipBytes = gzipSync(readFileSync(outfile)).length;
  const settings = readSettings({ tryGetContext: () => undefined });
  const env = functionEnvironment(
    FUNCTION_SPECS[name].config,
    {
      tableName: "bench-table",
      bucketName: "bench-bucket",
      authIssuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench",
      authClientIds: ["bench"],
      trainFunctionName: "bench-train",
    },
    settings,
  );
  const samples: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < runs; i++) samples.push(await loadOnce(outfile, env));
  const loadMsRuns = samples.map((sample) => sample.wallMs);
  const loadMsMedian = median(loadMsRuns);
  const isApi = isApiFunction(name);
  const overTarget = [
    ...(isApi && bytes > TARGET_API_BYTES ? [`size > ${TARGET_API_BYTES / 1024} KB`] : []),
    ...(isApi && loadMsMedian > TARGET_LOAD_MS ? [`load > ${TARGET_LOAD_MS} ms`] : []),
  ];
  return {
    name,
    bytes,
    gzipBytes,
    loadMsMedian,
    loadMsRuns,
    cpuMsMedian: median(samples.map((sample) => sample.cpuMs)),
    heaviest: heaviestModules(result.metafile, outfile),
    overTarget,
  };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Load time of the external SDK clients alone: not in the bundles, but every cold start loads them. */
async function sdkBaseline(
  runs: number,
): Promise<{ module: string; loadMsMedian: number; cpuMsMedian: number }[]> {
  const modules = ["@aws-sdk/client-dynamodb", "@aws-sdk/client-s3"];
  const baselines = [];
  for (const module of modules) {
    const file = path.join(OUT_DIR, `baseline-${module.replace(/\W+/g, "-")}.mjs`);
    writeFileSync(file, `import ${JSON.stringify(module)};\n`);
    const samples: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < runs; i++) samples.push(await loadOnce(file, {}));
    baselines.push({
      module,
      loadMsMedian: median(samples.map((sample) => sample.wallMs)),
      cpuMsMedian: median(samples.map((sample) => sample.cpuMs)),
    });
  }
  return baselines;
}

async function main(argv: readonly string[]): Promise<void> {
  const args = new CliArgs(argv, { runs: "value", json: "switch" });
  const runs = args.int("runs", { default: 7, min: 1, max: 100 });
  const present = ALL_FUNCTIONS.filter((name) => existsSync(handlerEntry(name)));
  const missing = ALL_FUNCTIONS.filter((name) => !present.includes(name));
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const figures: BundleFigures[] = [];
  for (const name of present) figures.push(await benchOne(name, runs));
  const baselines = await sdkBaseline(runs);
  const load = loadavg().map((n) => n.toFixed(1));
  if (args.has("json")) {
    console.log(
      JSON.stringify({ node: process.version, runs, loadavg: load, figures, baselines, missing }, null, 2),
    );
    return;
  }
  console.log(
    `Node ${process.version}, ${runs} fresh-process imports per bundle (median); targets for API bundles:`,
  );
  console.log(`< ${TARGET_API_BYTES / 1024} KB minified, load < ${TARGET_LOAD_MS} ms\n`);
  console.log(
    `${"function".padEnd(22)}${"minified".padStart(11)}${"gzip".padStart(11)}` +
      `${"load ms".padStart(9)}${"cpu ms".padStart(8)}  heaviest`,
  );
  for (const f of figures) {
    const heaviest = f.heaviest.map((h) => `${h.module} ${kb(h.bytes)}`).join(", ");
    console.log(
      `${f.name.padEnd(22)}${kb(f.bytes).padStart(11)}${kb(f.gzipBytes).padStart(11)}` +
        `${f.loadMsMedian.toFixed(1).padStart(9)}${f.cpuMsMedian.toFixed(1).padStart(8)}  ${heaviest}${f.overTarget.length ? `  [OVER: ${f.overTarget.join(", ")}]` : ""}`,
    );
  }
  console.log(
    "\nincluded in the load times above, loaded from outside the bundle (the runtime's SDK in Lambda):",
  );
  for (const b of baselines)
    console.log(
      `  ${b.module.padEnd(28)}${b.loadMsMedian.toFixed(1).padStart(8)} ms, cpu ${b.cpuMsMedian.toFixed(1)} ms`,
    );
  console.log(
    `\nload average during the run: ${load.join(" ")} (wall times grow with machine load; cpu times less)`,
  );
  if (missing.length > 0) console.log(`\nnot bundled (no handler.ts yet): ${missing.join(", ")}`);
}

await runCli(USAGE, main);
