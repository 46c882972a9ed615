import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_FILE, WORKER_BUNDLE_FILE } from "../../infra/bundling.js";
import { FUNCTION_SPECS } from "../../infra/function-specs.js";
import { FUNCTION_NAMES } from "../../shared/constants.js";
import {
  functionIds,
  removeSynthOutputs,
  resourcesOfType,
  type Synthesised,
  synthStack,
} from "../helpers/synth-stack.js";

/**
 * The one test that really bundles: the stack's NodejsFunction bundling runs esbuild on every handler, as
 * `cdk synth` and `cdk deploy` do. The size ceilings here only catch an accident (such as the AWS SDK
 * bundled in); the budgets (API < 300 KB, load < 150 ms) are reported by `npm run bench:bundle`.
 */

const CEILING_BYTES = {
  api: 1024 * 1024,
  personal: 1024 * 1024,
  train: 4 * 1024 * 1024,
  admin: 4 * 1024 * 1024,
} as const;

let synth: Synthesised;

beforeAll(() => {
  synth = synthStack({}, { bundle: true });
}, 180_000);

afterAll(removeSynthOutputs);

function assetDirectory(name: (typeof FUNCTION_NAMES)[number]): string {
  const fn = resourcesOfType(synth.template, "AWS::Lambda::Function")[functionIds(synth.stack, name).fn]!;
  // The code asset's S3 key is `<hash>.zip`; the assembly holds its staged folder as `asset.<hash>`.
  const s3Key = (fn.Properties.Code as { S3Key: string }).S3Key;
  expect(s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  return path.join(synth.assembly.directory, `asset.${s3Key.replace(/\.zip$/, "")}`);
}

describe("function bundles", () => {
  it("the training function ships its worker-thread script beside its handler, and only it does", () => {
    const worker = path.join(assetDirectory("train-model"), WORKER_BUNDLE_FILE);
    expect(existsSync(worker)).toBe(true);
    const code = readFileSync(worker, "utf8");
    // The kernels the pool names are in it, and it answers on the port the pool gives it.
    expect(code).toContain("k-sweep-candidate");
    expect(code).toContain("workerData");
    for (const name of FUNCTION_NAMES.filter((n) => n !== "train-model"))
      expect(existsSync(path.join(assetDirectory(name), WORKER_BUNDLE_FILE))).toBe(false);
  });

  it.each(FUNCTION_NAMES)("%s is one minified ES module with a source map, the AWS SDK left out", (name) => {
    const dir = assetDirectory(name);
    const bundle = path.join(dir, BUNDLE_FILE);
    expect(existsSync(bundle)).toBe(true);
    const bytes = statSync(bundle).size;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(CEILING_BYTES[FUNCTION_SPECS[name].config]);
    expect(existsSync(`${bundle}.map`)).toBe(true);

    const code = readFileSync(bundle, "utf8");
    // Minified: long lines (unminified code averages well under 100 characters a line).
    expect(code.length / code.split("\n").length).toBeGreaterThan(1000);
    // ESM importing the runtime's SDK, with the require shim for bundled CommonJS.
    // A function without table access (get-openapi) imports no SDK at all (the X-Ray SDK's bundled
    // package.json names @aws-sdk/types as a dependency: text, not an import).
    if (FUNCTION_SPECS[name].tableAccess === "none")
      expect(code).not.toMatch(/(from\s*|import\()"@aws-sdk\//);
    else expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(code).not.toContain("class DynamoDBClient");
    expect(code.startsWith("import { createRequire as __cinecluster_createRequire }")).toBe(true);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });
});
