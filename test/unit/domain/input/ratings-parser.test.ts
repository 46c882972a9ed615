import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RatingsFormatError, ValidationError } from "../../../../shared/domain/errors.js";
import { generateDataset } from "../../../../shared/domain/evaluation/synthetic-dataset.js";
import type { RatingsTable } from "../../../../shared/domain/input/ratings.js";
import { createRatingsParser, parseRatings } from "../../../../shared/domain/input/ratings-parser.js";

const encode = (text: string) => new TextEncoder().encode(text);

/** The table as plain arrays, for exact comparison. */
function plain(table: RatingsTable) {
  return {
    userIds: [...table.userIds],
    movieIds: [...table.movieIds],
    ratings: [...table.ratings],
    timestamps: [...table.timestamps],
    favourite: [...table.favourite],
  };
}

function parseInChunks(bytes: Uint8Array, cuts: readonly number[], options = {}) {
  const parser = createRatingsParser(options);
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(previous, cut));
    previous = cut;
  }
  return parser.finish();
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

const SMALL = "userId,movieId,rating,timestamp\n1,10,4.0,100\n1,20,3.5,200\n2,10,5,300\n";
const SMALL_TABLE = {
  userIds: [1, 1, 2],
  movieIds: [10, 20, 10],
  ratings: [4, 3.5, 5],
  timestamps: [100, 200, 300],
  favourite: [1, 0, 1],
};

describe("parseRatings: MovieLens format", () => {
  it("reads rows into typed arrays with favourites at rating >= 4.0", () => {
    const { table, report } = parseRatings(SMALL);
    expect(table.length).toBe(3);
    expect(table.userIds).toBeInstanceOf(Int32Array);
    expect(plain(table)).toEqual(SMALL_TABLE);
    expect(report).toEqual({ format: "ratings", rowsRead: 3, badRows: 0, firstBadRows: [], duplicates: 0 });
  });

  it("gives the same table for CRLF, a UTF-8 BOM, blank lines and no final newline", () => {
    const variant =
      "\uFEFFuserId,movieId,rating,timestamp\r\n\r\n1,10,4.0,100\r\n  \r\n1,20,3.5,200\r\n\n2,10,5,300";
    const { table, report } = parseRatings(variant);
    expect(plain(table)).toEqual(SMALL_TABLE);
    expect(report.rowsRead).toBe(3);
  });

  it("counts line numbers over blank lines and CRLF in bad-row reports", () => {
    const text = "userId,movieId,rating,timestamp\r\n\r\n1,10,4.0,100\r\n\r\n1,x,3.5,200\r\n";
    const { report } = parseRatings(text, { maxBadShare: 1 });
    expect(report.firstBadRows).toEqual([{ line: 5, message: 'movieId "x" is not a positive integer' }]);
  });

  it("gives the same result whatever the chunk boundaries, at every byte position", () => {
    const text =
      "\uFEFFuserId,movieId,rating,timestamp\r\n1,10,4.0,100\r\n\r\n1,20,3.5,200\r\n2,10,bad,1\r\n2,10,5,300";
    const bytes = encode(text);
    const whole = parseInChunks(bytes, [], { maxBadShare: 1 });
    expect(plain(whole.table)).toEqual(SMALL_TABLE);
    expect(whole.report.firstBadRows).toEqual([{ line: 5, message: 'rating "bad" is not a number' }]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const split = parseInChunks(bytes, [cut], { maxBadShare: 1 });
      expect(plain(split.table), `cut at ${cut}`).toEqual(SMALL_TABLE);
      expect(split.report, `cut at ${cut}`).toEqual(whole.report);
    }
    const bytewise = parseInChunks(
      bytes,
      Array.from({ length: bytes.length }, (_, i) => i),
      { maxBadShare: 1 },
    );
    expect(plain(bytewise.table)).toEqual(SMALL_TABLE);
    expect(bytewise.report).toEqual(whole.report);
  });

  it("finds columns by name in any order, ignores extra columns and matches names case-insensitively", () => {
    const text = "timestamp,Rating,tag,MOVIEID,userid\n100,4.0,a,10,1\n200,3.5,,20,1\n300,5,b c,10,2\n";
    const { table } = parseRatings(text);
    expect(plain(table)).toEqual(SMALL_TABLE);
  });

  it("leaves timestamps at 0 when the file has no timestamp column", () => {
    const { table } = parseRatings("userId,movieId,rating\n3,7,2.5\n");
    expect(plain(table)).toEqual({
      userIds: [3],
      movieIds: [7],
      ratings: [2.5],
      timestamps: [0],
      favourite: [0],
    });
  });

  it("applies a configurable favourite threshold (rating >= threshold)", () => {
    const { table } = parseRatings(SMALL, { favouriteThreshold: 3.5 });
    expect([...table.favourite]).toEqual([1, 1, 1]);
    const strict = parseRatings(SMALL, { favouriteThreshold: 4.5 });
    expect([...strict.table.favourite]).toEqual([0, 0, 1]);
  });

  it("accepts ratings written as 5, 5.0, 0.5 and .5", () => {
    const { table } = parseRatings("userId,movieId,rating\n1,1,5\n1,2,5.0\n1,3,0.5\n1,4,.5\n");
    expect([...table.ratings]).toEqual([5, 5, 0.5, 0.5]);
  });

  it("rejects a favourite threshold that is not a number", () => {
    expect(() => createRatingsParser({ favouriteThreshold: Number.NaN })).toThrow(ValidationError);
  });
});

describe("parseRatings: favourites format", () => {
  it("treats every row of a userId,movieId file as a favourite with no rating", () => {
    const { table, report } = parseRatings("userId,movieId\n5,50\n6,60\n");
    expect(report.format).toBe("favourites");
    expect([...table.userIds]).toEqual([5, 6]);
    expect([...table.movieIds]).toEqual([50, 60]);
    expect([...table.favourite]).toEqual([1, 1]);
    expect(Number.isNaN(table.ratings[0]!)).toBe(true);
    expect(Number.isNaN(table.ratings[1]!)).toBe(true);
    expect([...table.timestamps]).toEqual([0, 0]);
  });

  it("reports a wrong field count in the two-column format", () => {
    const { report } = parseRatings("userId,movieId\n5,50\n6,60,4.0\n", { maxBadShare: 1 });
    expect(report.firstBadRows).toEqual([{ line: 3, message: "expected 2 fields, found 3" }]);
  });
});

describe("parseRatings: malformed rows", () => {
  const header = "userId,movieId,rating,timestamp\n";
  const cases: [string, string][] = [
    ["1,10,4.0", "expected 4 fields, found 3"],
    ["1,10,4.0,100,9", "expected 4 fields, found 5"],
    ["", "skip"],
    ["abc,10,4.0,100", 'userId "abc" is not a positive integer'],
    ["1.5,10,4.0,100", 'userId "1.5" is not a positive integer'],
    ["0,10,4.0,100", 'userId "0" is not a positive integer'],
    ["-3,10,4.0,100", 'userId "-3" is not a positive integer'],
    ["1,,4.0,100", 'movieId "" is not a positive integer'],
    ["1,2147483648,4.0,100", 'movieId "2147483648" is not a positive integer'],
    ["1,10,7.5,100", "rating 7.5 is outside 0.5..5"],
    ["1,10,0,100", "rating 0 is outside 0.5..5"],
    ["1,10,-1,100", "rating -1 is outside 0.5..5"],
    ["1,10,abc,100", 'rating "abc" is not a number'],
    ["1,10,,100", 'rating "" is not a number'],
    ["1,10,4.0.1,100", 'rating "4.0.1" is not a number'],
    ["1,10,4.0,12x", 'timestamp "12x" is not a whole number of seconds'],
    ["1,10,4.0,-5", 'timestamp "-5" is not a whole number of seconds'],
    ["1,10,4.0,", 'timestamp "" is not a whole number of seconds'],
    ["1,10,4.0,4294967296", 'timestamp "4294967296" is not a whole number of seconds'],
  ];
  for (const [row, message] of cases.filter(([, m]) => m !== "skip")) {
    it(`reports ${JSON.stringify(row)} as: ${message}`, () => {
      const { table, report } = parseRatings(`${header}2,20,3.0,5\n${row}\n3,30,4.5,6\n`, { maxBadShare: 1 });
      expect(report.badRows).toBe(1);
      expect(report.rowsRead).toBe(3);
      expect(report.firstBadRows).toEqual([{ line: 3, message }]);
      expect([...table.userIds]).toEqual([2, 3]);
    });
  }

  it("counts every bad row but lists only the first few (default 5, configurable)", () => {
    const rows = Array.from({ length: 8 }, (_, i) => `${i + 1},x,4.0,1`).join("\n");
    const text = `${header}${rows}\n9,9,4.0,1\n`;
    const { report } = parseRatings(text, { maxBadShare: 1 });
    expect(report.badRows).toBe(8);
    expect(report.firstBadRows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6]);
    const two = parseRatings(text, { maxBadShare: 1, maxReportedBadRows: 2 });
    expect(two.report.firstBadRows.map((row) => row.line)).toEqual([2, 3]);
  });

  it("fails when bad rows are above the allowed share, naming counts, share, limit and the first bad row", () => {
    const good = Array.from({ length: 117 }, (_, i) => `${i + 1},1,4.0,1`);
    good.splice(5, 0, "200,1,7.5,1");
    good.push("201,x,4.0,1", "202,1,4.0");
    const error = thrown(() => parseRatings(`${header}${good.join("\n")}\n`));
    expect(error).toBeInstanceOf(RatingsFormatError);
    expect(error.message).toBe(
      "3 of 120 rows (2.5%) are malformed, above the 1% limit; first: line 7: rating 7.5 is outside 0.5..5",
    );
  });

  it("accepts bad rows exactly at the allowed share, and the share is configurable", () => {
    const rows = Array.from({ length: 99 }, (_, i) => `${i + 1},1,4.0,1`);
    rows.push("100,0,4.0,1");
    const text = `${header}${rows.join("\n")}\n`;
    expect(parseRatings(text).report.badRows).toBe(1);
    expect(() => parseRatings(text, { maxBadShare: 0.005 })).toThrow(
      '1 of 100 rows (1%) are malformed, above the 0.5% limit; first: line 101: movieId "0" is not a positive integer',
    );
  });
});

describe("parseRatings: files that cannot be read", () => {
  it("fails on an empty file, a file of blank lines, or a BOM alone", () => {
    for (const text of ["", "\n\r\n  \n", "\uFEFF"]) {
      expect(() => parseRatings(text)).toThrow(
        new RatingsFormatError("the ratings file is empty: it has no header line"),
      );
    }
  });

  it("fails on a header without data rows", () => {
    expect(() => parseRatings("userId,movieId,rating,timestamp\n\n")).toThrow(
      "the ratings file has a header but no data rows",
    );
  });

  it("fails on a wrong header, quoting what it found and its line", () => {
    const error = thrown(() => parseRatings("user,film\n1,2\n"));
    expect(error).toBeInstanceOf(RatingsFormatError);
    expect(error.message).toBe("line 1: header must have columns userId and movieId; found: user,film");
    expect(() => parseRatings("\n1,31,2.5,1260759144\n")).toThrow(
      "line 2: header must have columns userId and movieId; found: 1,31,2.5,1260759144",
    );
  });

  it("fails on a header that names a column twice", () => {
    expect(() => parseRatings("userId,movieId,userId\n1,2,3\n")).toThrow(
      "line 1: header names column userId twice",
    );
  });

  it("fails on a line longer than 1 MiB (not a CSV file)", () => {
    const parser = createRatingsParser();
    const junk = new Uint8Array(600_000).fill(65);
    parser.push(junk);
    expect(() => parser.push(junk)).toThrow("line 1 is longer than 1048576 bytes");
  });
});

describe("parseRatings: duplicates", () => {
  it("keeps the last row of a repeated (user, movie) in a file grouped by user, in file order", () => {
    const text =
      "userId,movieId,rating,timestamp\n1,20,1.0,1\n1,10,2.0,2\n1,20,4.5,3\n2,10,3.0,4\n2,10,5.0,5\n";
    const { table, report } = parseRatings(text);
    expect(report.duplicates).toBe(2);
    expect(report.rowsRead).toBe(5);
    expect(plain(table)).toEqual({
      userIds: [1, 1, 2],
      movieIds: [10, 20, 10],
      ratings: [2, 4.5, 5],
      timestamps: [2, 3, 5],
      favourite: [0, 1, 1],
    });
  });

  it("keeps the last row when users are not grouped (the radix path)", () => {
    const text = "userId,movieId,rating\n70000,5,1.0\n3,5,2.0\n70000,5,4.0\n3,6,3.0\n3,5,5.0\n";
    const { table, report } = parseRatings(text);
    expect(report.duplicates).toBe(2);
    expect(plain(table)).toEqual({
      userIds: [70000, 3, 3],
      movieIds: [5, 6, 5],
      ratings: [4, 3, 5],
      timestamps: [0, 0, 0],
      favourite: [1, 0, 1],
    });
  });

  it("matches a last-wins reference on random rows, whatever the chunking", () => {
    const row = fc.record({
      user: fc.integer({ min: 1, max: 6 }).map((u) => (u === 6 ? 131_073 : u)),
      movie: fc.integer({ min: 1, max: 8 }),
      half: fc.integer({ min: 1, max: 10 }),
      time: fc.nat({ max: 10_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, rawCuts) => {
          const text = `userId,movieId,rating,timestamp\n${rows
            .map((r) => `${r.user},${r.movie},${(r.half / 2).toFixed(1)},${r.time}`)
            .join("\n")}\n`;
          const bytes = encode(text);
          const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
          const { table, report } = parseInChunks(bytes, cuts);
          const last = new Map<string, number>();
          rows.forEach((r, i) => {
            last.set(`${r.user}:${r.movie}`, i);
          });
          const kept = rows.filter((r, i) => last.get(`${r.user}:${r.movie}`) === i);
          expect(report.duplicates).toBe(rows.length - kept.length);
          expect(plain(table)).toEqual({
            userIds: kept.map((r) => r.user),
            movieIds: kept.map((r) => r.movie),
            ratings: kept.map((r) => r.half / 2),
            timestamps: kept.map((r) => r.time),
            favourite: kept.map((r) => (r.half >= 8 ? 1 : 0)),
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseRatings: sizing from the expected input size", () => {
  it("gives the same table whether the expected size is exact, too small, too large or unknown", () => {
    const bytes = encode(generateDataset({ users: 100, movies: 400, ratings: 12_000, seed: 2 }).ratingsCsv);
    expect(bytes.length).toBeGreaterThan(3 * 65_536);
    const cuts = Array.from({ length: Math.floor(bytes.length / 40_000) }, (_, i) => (i + 1) * 40_000);
    const reference = parseInChunks(bytes, cuts, { initialCapacity: 16 });
    expect(reference.table.length).toBe(12_000);
    for (const expectedBytes of [bytes.length, bytes.length / 3, bytes.length * 3, 100]) {
      const sized = parseInChunks(bytes, cuts, { initialCapacity: 16, expectedBytes });
      expect(plain(sized.table), `expectedBytes ${expectedBytes}`).toEqual(plain(reference.table));
      expect(sized.table.userIds.length).toBe(12_000);
    }
  });
});

describe("parseRatings: the byte parser agrees with a plain reading of the rules", () => {
  it("accepts exactly the rows a regex reading accepts, with the same values, and explains every rejection", () => {
    const ids = ["1", "42", "007", "0", "-3", "1.5", "", "abc", "2147483647", "2147483648", " 7", "+5"];
    const ratings = [
      "4",
      "4.0",
      "3.5",
      ".5",
      "5.",
      "0.5",
      "0.4",
      "5.5",
      "-1",
      "abc",
      "",
      "4.0.1",
      "-",
      ".",
      "4 ",
    ];
    const times = ["0", "100", "4294967295", "4294967296", "-5", "", "1e3", "12x"];
    const isId = (t: string) => /^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 2147483647;
    const isRating = (t: string) => /^-?(\d+\.?\d*|\.\d+)$/.test(t) && Number(t) >= 0.5 && Number(t) <= 5;
    const isTime = (t: string) => /^\d+$/.test(t) && Number(t) <= 4294967295;
    // Half of each field's draws are valid; a valid userId is replaced by the row number, so no two good
    // rows share (user, movie) and de-duplication stays out of this test.
    const field = (tokens: string[], valid: (t: string) => boolean) =>
      fc.oneof(fc.constantFrom(...tokens.filter(valid)), fc.constantFrom(...tokens.filter((t) => !valid(t))));
    const row = fc.tuple(
      field(ids, isId),
      field(ids, isId),
      field(ratings, isRating),
      field(times, isTime),
      fc.constantFrom(3, 4, 4, 4, 4, 4, 5),
    );
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 4 }),
        (drawn, crlf, rawCuts) => {
          const rows = drawn.map(([u, ...rest], i) => [isId(u) ? String(i + 1) : u, ...rest] as const);
          const lines = rows.map(([u, m, r, t, n]) => [u, m, r, t, "x"].slice(0, n).join(","));
          const eol = crlf ? "\r\n" : "\n";
          const bytes = encode(`userId,movieId,rating,timestamp${eol}${lines.join(eol)}${eol}`);
          const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
          const { table, report } = parseInChunks(bytes, cuts, { maxBadShare: 1, maxReportedBadRows: 100 });
          const good = rows.filter(
            ([u, m, r, t, n]) => n === 4 && isId(u) && isId(m) && isRating(r) && isTime(t),
          );
          expect(report.badRows).toBe(rows.length - good.length);
          expect(report.firstBadRows.every((bad) => bad.message !== "malformed row")).toBe(true);
          expect(plain(table).userIds).toEqual(good.map(([u]) => Number(u)));
          expect(plain(table).ratings).toEqual(good.map(([, , r]) => Math.fround(Number(r))));
          expect(plain(table).timestamps).toEqual(good.map(([, , , t]) => Number(t)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
