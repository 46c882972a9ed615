import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { CliFileError, checkInputFile, checkOutputFile } from "../../../scripts/cli-files.js";
import { generateDataset } from "../../../shared/domain/evaluation/synthetic-dataset.js";

const root = path.resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "cinecluster-cli-hard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = generateDataset({ users: 40, movies: 100, ratings: 1_500, seed: 2, groups: 2 });
const ratings = path.join(dir, "ratings.csv");
writeFileSync(ratings, data.ratingsCsv);
const aFile = path.join(dir, "a-file");
writeFileSync(aFile, "x");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(root, "scripts", script), ...args],
      { cwd: root, maxBuffer: 16 << 20, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** One line on stderr, "error: ...", and no stack frame. */
function expectOneLineError(result: Run, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(/^error: [^\n]*\n$/);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("output files are checked before the work starts (issue 10, section 5)", () => {
  it("refuses a directory, a path under a file, and a path under /proc, in-process", () => {
    expect(() => checkOutputFile("out", dir)).toThrow(/is a directory/);
    expect(() => checkOutputFile("out", path.join(aFile, "m.json"))).toThrow(/is not a directory/);
    expect(() => checkOutputFile("out", "/proc/nope/m.json")).toThrow(CliFileError);
    const fresh = path.join(dir, "new", "deeper", "m.json");
    expect(checkOutputFile("out", fresh)).toBe(fresh);
    expect(existsSync(fresh)).toBe(false);
    expect(existsSync(path.dirname(fresh))).toBe(true);
    expect(checkOutputFile("out", aFile)).toBe(aFile);
    expect(readFileSync(aFile, "utf8")).toBe("x");
  });

  it("npm run train fails in one line before reading any rating", async () => {
    for (const out of [dir, path.join(aFile, "m.json"), "/proc/nope/m.json"]) {
      const result = await run("train.ts", ["--ratings", ratings, "--k", "2", "--out", out]);
      expectOneLineError(result, /^error: --out /);
      expect(result.stderr).not.toContain("reading ratings");
    }
  });

  it("npm run elbow and evaluate check their outputs too", async () => {
    expectOneLineError(
      await run("elbow.ts", ["--ratings", ratings, "--k", "2..3", "--out", dir]),
      /--out .*is a directory/,
    );
    expectOneLineError(
      await run("evaluate.ts", ["--ratings", ratings, "--protocol", "random", "--json", "/proc/nope/e.json"]),
      /--json \/proc\/nope\/e\.json/,
    );
  });
});

describe("input files", () => {
  it("a missing file is one line and exit 1, in every tool that reads one", async () => {
    const missing = path.join(dir, "missing.csv");
    expect(() => checkInputFile("ratings", missing)).toThrow(
      `--ratings ${missing}: no such file or directory`,
    );
    expect(() => checkInputFile("ratings", dir)).toThrow("not a regular file");
    const runs = await Promise.all([
      run("train.ts", ["--ratings", missing, "--out", path.join(dir, "m.json")]),
      run("elbow.ts", ["--ratings", missing, "--out", path.join(dir, "e.svg")]),
      run("evaluate.ts", ["--ratings", missing, "--protocol", "random"]),
    ]);
    for (const result of runs)
      expectOneLineError(result, /--ratings .*missing\.csv: no such file or directory/);
  });

  it("npm start checks its input files before starting DynamoDB Local or s3rver", async () => {
    const missing = path.join(dir, "missing.csv");
    const result = await run("start.ts", ["--ratings", missing, "--port", "39999"]);
    expectOneLineError(result, /--ratings .*missing\.csv: no such file or directory/);
    expect(result.stdout).not.toContain("Starting DynamoDB Local");
  });

  it("a gzip file is named, in one line, without its bytes", async () => {
    const gz = path.join(dir, "ratings.csv.gz");
    writeFileSync(gz, gzipSync(data.ratingsCsv));
    const result = await run("train.ts", ["--ratings", gz, "--out", path.join(dir, "m.json")]);
    expectOneLineError(result, /not CSV text: it looks like gzip-compressed data/);
    expect(result.stderr.length).toBeLessThan(200);
  });
});

describe("--help on every script", () => {
  const scripts = Object.values(
    (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> })
      .scripts,
  )
    .map((command) => /^tsx scripts\/([\w-]+\.ts)$/.exec(command)?.[1])
    .filter((script): script is string => script !== undefined);

  it("prints usage and exits 0 (a bad flag: exit 2, no stack)", async () => {
    expect(scripts).toEqual(
      expect.arrayContaining(["start.ts", "train.ts", "dataset-movielens.ts", "evaluate.ts"]),
    );
    // Only a script whose source handles --help is run: one that ignores it would do its work instead.
    for (const script of scripts) {
      const source = readFileSync(path.join(root, "scripts", script), "utf8");
      expect(/runCli\(|"--help"|help\b/.test(source), `${script} handles --help`).toBe(true);
    }
    const results: [string, Run][] = [];
    for (let i = 0; i < scripts.length; i += 4) {
      const batch = scripts.slice(i, i + 4);
      results.push(
        ...(await Promise.all(batch.map(async (s) => [s, await run(s, ["--help"])] as [string, Run]))),
      );
    }
    for (const [script, result] of results) {
      expect(result.code, `${script}: ${result.stderr}`).toBe(0);
      expect(result.stdout, script).toMatch(/usage/i);
    }
    const bogus = await run("dataset-movielens.ts", ["--bogus"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("unknown flag --bogus");
    expect(bogus.stderr).not.toMatch(/\n\s+at |ERR_PARSE_ARGS/);
  }, 400_000);
});
