import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { RatingsFormatError } from "../../../../shared/domain/errors.js";
import { describeNonCsv, detectLineEnds, printable } from "../../../../shared/domain/input/file-sniff.js";
import { parseMovies } from "../../../../shared/domain/input/movies-parser.js";
import { createRatingsParser, parseRatings } from "../../../../shared/domain/input/ratings-parser.js";

const CSV = "userId,movieId,rating,timestamp\n1,10,4.5,1\n1,11,3.0,2\n2,10,5.0,3\n";
const encode = (text: string) => new TextEncoder().encode(text);

function ratingsError(bytes: Uint8Array): string {
  try {
    parseRatings(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(RatingsFormatError);
    return (error as Error).message;
  }
  throw new Error("parsed");
}

/** No raw control or escape byte may reach a terminal through an error message. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these bytes.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/;

describe("files that are not CSV text (issue 10, section 5)", () => {
  const utf16 = (bom: boolean) => {
    const body = Buffer.from(CSV, "utf16le");
    return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
  };
  const binary = Uint8Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256);
  const cases: [string, Uint8Array, RegExp][] = [
    ["gzip", gzipSync(CSV), /gzip-compressed data/],
    ["zip", zipSync({ "ratings.csv": encode(CSV) }), /a zip archive/],
    ["UTF-16 with a BOM", utf16(true), /UTF-16 text/],
    ["UTF-16 without a BOM", utf16(false), /UTF-16 text/],
    ["binary", binary, /binary data/],
    [
      "terminal escapes",
      encode(`\u001b[2J\u001b]0;owned\u0007${"\u001b[31m".repeat(40)}\n1,2\n`),
      /binary data/,
    ],
  ];

  it.each(cases)("a %s file is named, not echoed", (_, bytes, expected) => {
    const message = ratingsError(bytes);
    expect(message).toMatch(expected);
    expect(message).toMatch(/^the ratings file is not CSV text: it looks like /);
    expect(message).not.toMatch(CONTROL);
    expect(message.length).toBeLessThan(120);
  });

  it("the movies parser names them too", () => {
    expect(() => parseMovies(gzipSync("movieId,title,genres\n1,A,Drama\n"))).toThrow(
      /the movies file is not CSV text: it looks like gzip-compressed data/,
    );
  });

  it("plain CSV, with or without a UTF-8 BOM, is not flagged", () => {
    expect(describeNonCsv(encode(CSV))).toBeUndefined();
    expect(describeNonCsv(Uint8Array.from([0xef, 0xbb, 0xbf, ...encode(CSV)]))).toBeUndefined();
    expect(describeNonCsv(encode("userId,movieId\r\n1,2\r\n"))).toBeUndefined();
    expect(describeNonCsv(encode("movieId,title\n1,Amélie (2001)\n"))).toBeUndefined();
  });

  it("a header that is not CSV is shown with its control characters escaped", () => {
    const message = ratingsError(encode("name\u001b[31m,x\n1,2\n"));
    expect(message).toContain("name\\u001b[31m,x");
    expect(message).not.toMatch(CONTROL);
    expect(printable("a".repeat(200), 10)).toBe("aaaaaaaaaa...");
  });
});

describe("CR-only line ends (old Mac files)", () => {
  const crOnly = encode(CSV.replaceAll("\n", "\r"));

  it("parse exactly like LF, whole or in chunks split anywhere", () => {
    const expected = parseRatings(encode(CSV));
    const whole = parseRatings(crOnly);
    expect([...whole.table.userIds]).toEqual([...expected.table.userIds]);
    expect([...whole.table.movieIds]).toEqual([...expected.table.movieIds]);
    expect(whole.report.rowsRead).toBe(3);
    for (let cut = 1; cut < crOnly.length; cut++) {
      const parser = createRatingsParser();
      parser.push(crOnly.subarray(0, cut));
      parser.push(crOnly.subarray(cut));
      expect(parser.finish().report.rowsRead, `cut at ${cut}`).toBe(3);
    }
  });

  it("movies files too", () => {
    const { movies } = parseMovies(encode('movieId,title,genres\r1,"A, The (2000)",Drama\r2,B,Comedy\r'));
    expect(movies.map((m) => m.title)).toEqual(["A, The (2000)", "B"]);
  });

  it("line ends are decided from the first line break", () => {
    expect(detectLineEnds(encode("a,b\r\nc"))).toBe("lf");
    expect(detectLineEnds(encode("a,b\nc\r"))).toBe("lf");
    expect(detectLineEnds(encode("a,b\rc"))).toBe("cr");
    expect(detectLineEnds(encode("a,b\r"))).toBe("unknown");
    expect(detectLineEnds(encode("a,b"))).toBe("unknown");
  });
});
