import path from "node:path";
import { type BundlingOptions, LogLevel, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

/**
 * How every function is bundled, in one place: the stack's NodejsFunction bundling and the bundle benchmark
 * (scripts/bench-bundle.ts) both derive their esbuild options from the constants below, so what is measured
 * is what is deployed.
 */

/** The project root: package.json, package-lock.json and functions/ are here. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

/** The lock file NodejsFunction hashes and resolves modules from. */
export const LOCK_FILE = path.join(PROJECT_ROOT, "package-lock.json");

/** Entry file of a function, by its folder name under functions/. */
export function handlerEntry(functionName: string): string {
  return path.join(PROJECT_ROOT, "functions", functionName, "handler.ts");
}

/** File name of the bundle in the package (ESM, so .mjs); the Lambda handler is `index.handler`. */
export const BUNDLE_FILE = "index.mjs";

/**
 * NODE_OPTIONS of every function: stack traces in the logs point at the TypeScript sources through the
 * bundle's source map (the reason it is built).
 */
export const RUNTIME_NODE_OPTIONS = "--enable-source-maps";

/** esbuild target: the Lambda runtime's Node major. */
const TARGET = "node24";

/**
 * The AWS SDK v3 ships in the NODEJS_24_X runtime, and an ES module in /var/task resolves it from there, so
 * it stays out of the bundle (smaller package, faster cold start).
 */
const EXTERNAL_MODULES = ["@aws-sdk/*"];

/** Prefer packages' ES module builds, so tree shaking works. */
const MAIN_FIELDS = ["module", "main"];

/** CommonJS code bundled into an ES module may still call `require` for Node built-ins: give it one. */
const REQUIRE_SHIM =
  "import { createRequire as __cinecluster_createRequire } from 'node:module'; " +
  "const require = __cinecluster_createRequire(import.meta.url);";

/**
 * The worker-thread script bundled beside the training function's index.mjs (shared/parallel/worker-pool.ts
 * loads it from there): the k sweep, k-means restarts and item neighbours run on every vCPU.
 */
export const WORKER_BUNDLE_FILE = "parallel-worker.mjs";

/** Entry of the worker-thread script. */
const WORKER_ENTRY = path.join(PROJECT_ROOT, "shared", "parallel", "worker.ts");

/** The esbuild command that bundles the worker script into a function's output folder. */
function workerBundleCommand(outputDir: string): string {
  const esbuild = path.join(PROJECT_ROOT, "node_modules", ".bin", "esbuild");
  return [
    `"${esbuild}" "${WORKER_ENTRY}" --bundle --platform=node --format=esm --target=${TARGET} --minify`,
    `--log-level=warning --outfile="${path.join(outputDir, WORKER_BUNDLE_FILE)}"`,
  ].join(" ");
}

/** The bundling options of every NodejsFunction in the stack; `withWorker` adds the worker-thread script. */
export function cdkBundlingOptions(options: { readonly withWorker?: boolean } = {}): BundlingOptions {
  return {
    ...(options.withWorker
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => [workerBundleCommand(outputDir)],
          },
        }
      : {}),
    format: OutputFormat.ESM,
    target: TARGET,
    minify: true,
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: false,
    externalModules: EXTERNAL_MODULES,
    mainFields: MAIN_FIELDS,
    banner: REQUIRE_SHIM,
    logLevel: LogLevel.WARNING,
  };
}

/** The bundling of {@link cdkBundlingOptions} as esbuild API options (for the benchmark), with a metafile. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: EXTERNAL_MODULES,
    mainFields: MAIN_FIELDS,
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: "warning",
  };
}
