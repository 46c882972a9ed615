/**
 * The README's examples are true: every documented request (a `curl localhost:3000/...` line in a fenced
 * block of README.md or docs/api.md) is replayed, in document order, against the real local HTTP server over
 * DynamoDB Local and s3rver, trained on exactly the sample data `npm start` generates. Each answer must have
 * the status the README's API table gives the route first, match the route's OpenAPI body schema, do what
 * the comment beside it says, and, where the README shows the answer, have its shape: the same fields of the
 * same JSON types (each array element like one of those shown) and the same `source`. Ids, counts and texts
 * may differ. The examples are parsed from the files, so a changed README is re-checked.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { uploadSampleData } from "../../local/sample-data.js";
import { parseStartOptions } from "../../local/start-options.js";
import { ROUTE_CONTRACTS, type RouteKey } from "../../shared/http/route-contracts.js";
import { type LocalSystem, startLocalSystem } from "../helpers/local-system.js";

const root = path.resolve(import.meta.dirname, "../..");
const DOCUMENTS = ["README.md", "docs/api.md"];

/** One documented request, with what the document says about its answer. */
interface Example {
  readonly where: string;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** The user whose token the request carries (`TOKEN=$(npm run -s token -- --user N)` before it). */
  readonly tokenUser: number | null;
  readonly comment: string | null;
  /** The answer shown under the request, when the document shows one. */
  readonly shown: unknown;
}

/** Splits a shell line into words, honouring single and double quotes (no escapes are used in the docs). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const char of line) {
    if (quote !== null) {
      if (char === quote) quote = null;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= "";
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The documented requests of one markdown file: curl lines to localhost:3000 inside fenced blocks. */
function examplesOf(file: string): Example[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const examples: Example[] = [];
  let tokenUser: number | null = null;
  for (const block of text.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)) {
    const lines = block[1]!.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const user = /TOKEN=\$\(npm run -s token -- --user (\d+)\)/.exec(line);
      if (user) tokenUser = Number(user[1]);
      if (!/^curl\s.*localhost:3000/.test(line)) continue;
      const hash = line.search(/\s#\s/);
      const command = hash < 0 ? line : line.slice(0, hash);
      const comment =
        hash < 0
          ? null
          : line
              .slice(hash)
              .replace(/^\s#\s*/, "")
              .trim();
      const words = shellWords(command).slice(1);
      let method = "GET";
      let body: unknown;
      let url: string | undefined;
      let authorised = false;
      for (let w = 0; w < words.length; w++) {
        const word = words[w]!;
        if (word === "-X") method = words[++w]!;
        else if (word === "-d") body = JSON.parse(words[++w]!);
        else if (word === "-H") {
          const header = words[++w]!;
          if (/\$AUTH|^authorization:/i.test(header)) authorised = true;
        } else if (/localhost:3000/.test(word)) url = word;
      }
      // The lines under a curl line that are not another command are the answer it shows.
      const answer: string[] = [];
      while (i + 1 < lines.length && /^\s*[{["]/.test(lines[i + 1]!)) answer.push(lines[++i]!);
      expect(url, `${file}: ${line}`).toBeDefined();
      expect(!authorised || tokenUser !== null, `${file}: a token is used before TOKEN is set: ${line}`).toBe(
        true,
      );
      examples.push({
        where: `${file}: ${command.trim()}`,
        method,
        path: url!.replace(/^(https?:\/\/)?localhost:3000/, ""),
        body,
        tokenUser: authorised ? tokenUser : null,
        comment,
        shown: answer.length > 0 ? JSON.parse(answer.join("\n")) : undefined,
      });
    }
  }
  return examples;
}

/** "GET /movies/{movieId}" as a pattern of "METHOD /path" with any path parameter. */
const templatePattern = (template: string) =>
  new RegExp(`^${template.replace(/\./g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`);

/** The first of `templates` that `request` ("GET /movies/7") fits, fixed paths before ones with parameters. */
const routeOf = <T extends string>(templates: readonly T[], request: string): T | undefined =>
  templates.find((t) => t === request) ?? templates.find((t) => templatePattern(t).test(request));

/** The README's API table: "METHOD /route" pattern -> the first status its "answers" column gives. */
function tableStatuses(): Map<string, number> {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const rows = readme.matchAll(/^\| `((?:GET|POST|DELETE|PUT|PATCH) [^`]+)` \|[^|]*?(\d{3})/gm);
  return new Map([...rows].map((row) => [row[1]!, Number(row[2])]));
}

type Shape = string | { readonly [key: string]: Shape } | { readonly elements: readonly Shape[] };

/** A JSON value's shape: object keys with their shapes, array element shapes (distinct), or a JSON type. */
function shapeOf(value: unknown): Shape {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const elements = new Map<string, Shape>();
    for (const element of value) {
      const shape = shapeOf(element);
      elements.set(JSON.stringify(shape), shape);
    }
    return { elements: [...elements.values()] };
  }
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

/** Where `actual` differs from the shape `shown`: a list of paths, empty when it has the shown shape. */
function shapeDifferences(actual: unknown, shown: unknown, at = "$"): string[] {
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${at}: an array is shown, got ${JSON.stringify(shapeOf(actual))}`];
    if (shown.length === 0) return [];
    return actual.flatMap((element, i) =>
      shown.some((example) => shapeDifferences(element, example).length === 0)
        ? []
        : [`${at}[${i}]: ${JSON.stringify(shapeOf(element))} is like none shown`],
    );
  }
  if (shown !== null && typeof shown === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return [`${at}: an object is shown, got ${JSON.stringify(shapeOf(actual))}`];
    }
    const keys = new Set([...Object.keys(shown), ...Object.keys(actual)]);
    return [...keys].flatMap((key) => {
      if (!(key in actual)) return [`${at}.${key}: shown, missing from the answer`];
      if (!(key in shown)) return [`${at}.${key}: in the answer, not shown`];
      return shapeDifferences(
        (actual as Record<string, unknown>)[key],
        (shown as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
    });
  }
  return shapeOf(actual) === shapeOf(shown)
    ? []
    : [`${at}: ${shapeOf(shown)} is shown, got ${shapeOf(actual)}`];
}

/** A quoted example text in a comment ("liked by 34 of the 65 ...") as a pattern: any numbers, "..." anything. */
function quotedPattern(quoted: string): RegExp {
  const parts = quoted
    .split("...")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+/g, "\\d+"));
  return new RegExp(parts.join(".*"));
}

let system: LocalSystem;
/** The movies the examples record as favourites, with their favourite counts before any example ran. */
const countsBefore = new Map<number, number>();
let lastRecorded: number | null = null;

const favouriteCount = async (movieId: number): Promise<number> => {
  const { status, body } = await system.request("GET", `/movies/${movieId}`);
  expect(status).toBe(200);
  return body.favouriteCount;
};

/**
 * What each comment beside an example promises, checked on the answer. A comment no check knows fails the
 * test: write its check when you write the comment.
 */
const COMMENT_CHECKS: {
  readonly pattern: RegExp;
  check(body: any, comment: string): Promise<void> | void;
}[] = [
  {
    pattern: /^with the reason: "([^"]+)"$/,
    check(body, comment) {
      const quoted = /"([^"]+)"/.exec(comment)![1]!;
      const reasons: string[] = body.items.map((item: { reason: string }) => item.reason);
      expect(reasons.length).toBeGreaterThan(0);
      expect(
        reasons.some((reason) => quotedPattern(quoted).test(reason)),
        reasons.join(" | "),
      ).toBe(true);
    },
  },
  {
    pattern: /^the favourite is there, and counted at once$/,
    async check(body) {
      expect(lastRecorded).not.toBeNull();
      expect(body.items.map((item: { movieId: number }) => item.movieId)).toContain(lastRecorded);
      expect(await favouriteCount(lastRecorded!)).toBe(countsBefore.get(lastRecorded!)! + 1);
    },
  },
  {
    pattern: /^a taste group: size, top movies, top genres$/,
    check(body) {
      expect(body.size).toBeGreaterThan(0);
      expect(body.topMovies.length).toBeGreaterThan(0);
      expect(body.topGenres.length).toBeGreaterThan(0);
    },
  },
  {
    pattern: /^k, how it was chosen, and where the report is$/,
    async check(body) {
      expect(body.k).toBeGreaterThan(1);
      expect(body.kSelection).toMatchObject({ rule: expect.any(String), chosenK: body.k });
      // Where the report is: a link that works.
      const chart = await system.request("GET", new URL(body.kSelectionChart, system.url).pathname);
      expect(chart.status).toBe(200);
      expect(chart.body).toMatch(/^<svg/);
    },
  },
];

const examples = DOCUMENTS.flatMap(examplesOf);

describe("the README's examples, replayed against the local server on npm start's sample data", () => {
  beforeAll(async () => {
    system = await startLocalSystem("readme");
    const options = parseStartOptions([]);
    await uploadSampleData(
      system.objects,
      { ratingsKey: system.config.ratingsKey, moviesKey: system.config.moviesKey },
      options.data,
      path.join(options.dataDir, "datasets"),
      () => undefined,
    );
    const result = await system.train();
    expect(result).toMatchObject({ status: "trained" });
    for (const example of examples) {
      const movieId = (example.body as { movieId?: number } | undefined)?.movieId;
      if (example.method === "POST" && /\/favourites$/.test(example.path) && movieId !== undefined) {
        const movie = await system.request("GET", `/movies/${movieId}`);
        if (movie.status === 200) countsBefore.set(movieId, movie.body.favouriteCount);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await system?.close();
  });

  it("finds the documented requests (the README has some, each with a route in its API table)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.some((example) => example.shown !== undefined)).toBe(true);
  });

  // One test per example, in document order: later examples see what earlier ones recorded.
  for (const example of examples) {
    it(example.where, async () => {
      const request = `${example.method} ${example.path.split("?")[0]}`;
      const table = tableStatuses();
      const row = routeOf([...table.keys()], request);
      expect(row, "the README's API table has this route").toBeDefined();
      const status = table.get(row!)!;
      const answer =
        example.tokenUser === null
          ? await system.request(example.method, example.path, example.body)
          : await system.requestAs(example.tokenUser, example.method, example.path, example.body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);

      const key = routeOf(Object.keys(ROUTE_CONTRACTS) as RouteKey[], request);
      expect(key, "the route is in ROUTE_CONTRACTS").toBeDefined();
      const contract = ROUTE_CONTRACTS[key!];
      expect(contract.success.status).toBe(status);
      if (contract.success.body !== undefined) {
        const parsed = z.safeParse(contract.success.body, answer.body);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }
      if (example.shown !== undefined) {
        expect(shapeDifferences(answer.body, example.shown)).toEqual([]);
        const source = (example.shown as { source?: unknown }).source;
        if (source !== undefined) expect(answer.body.source).toBe(source);
      }
      if (example.method === "POST" && /\/favourites$/.test(example.path)) {
        lastRecorded = (example.body as { movieId: number }).movieId;
      }
      if (example.comment !== null) {
        const known = COMMENT_CHECKS.find((c) => c.pattern.test(example.comment!));
        expect(
          known,
          `no check for the comment "${example.comment}": add one to COMMENT_CHECKS`,
        ).toBeDefined();
        await known!.check(answer.body, example.comment);
      }
    });
  }
});
