import { describe, expect, it } from "vitest";
import { RatingsFormatError } from "../../../../shared/domain/errors.js";
import { createMoviesParser, parseMovies } from "../../../../shared/domain/input/movies-parser.js";

const encode = (text: string) => new TextEncoder().encode(text);

const QUOTED = [
  "movieId,title,genres",
  "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
  '11,"American President, The (1995)",Comedy|Drama|Romance',
  '4,"Waiting to Exhale ""Special"" (1995)",Comedy',
  '5,"Two\nLines (2000)",(no genres listed)',
  '6,Amélie (2001),"Comedy|Romance"',
].join("\r\n");

const QUOTED_MOVIES = [
  {
    movieId: 1,
    title: "Toy Story (1995)",
    genres: ["Adventure", "Animation", "Children", "Comedy", "Fantasy"],
  },
  { movieId: 11, title: "American President, The (1995)", genres: ["Comedy", "Drama", "Romance"] },
  { movieId: 4, title: 'Waiting to Exhale "Special" (1995)', genres: ["Comedy"] },
  { movieId: 5, title: "Two\nLines (2000)", genres: [] },
  { movieId: 6, title: "Amélie (2001)", genres: ["Comedy", "Romance"] },
];

describe("parseMovies", () => {
  it("reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes; genres split on |", () => {
    const { movies, report } = parseMovies(QUOTED);
    expect(movies).toEqual(QUOTED_MOVIES);
    expect(report).toEqual({ rowsRead: 5, badRows: 0, firstBadRows: [], duplicates: 0 });
  });

  it("gives the same movies whatever the chunk boundaries (every byte position, and a BOM split too)", () => {
    const bytes = encode(`\uFEFF${QUOTED}\n`);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const parser = createMoviesParser();
      parser.push(bytes.subarray(0, cut));
      parser.push(bytes.subarray(cut));
      expect(parser.finish().movies, `cut at ${cut}`).toEqual(QUOTED_MOVIES);
    }
    const bytewise = createMoviesParser();
    for (let i = 0; i < bytes.length; i++) bytewise.push(bytes.subarray(i, i + 1));
    expect(bytewise.finish().movies).toEqual(QUOTED_MOVIES);
  });

  it("finds columns by name, ignores extra columns and skips blank lines", () => {
    const { movies } = parseMovies('genres,year,title,movieId\n\nDrama,1999,"Matrix, The",2571\n\n');
    expect(movies).toEqual([{ movieId: 2571, title: "Matrix, The", genres: ["Drama"] }]);
  });

  it("keeps the last of two rows with the same movieId and counts the duplicate", () => {
    const { movies, report } = parseMovies("movieId,title,genres\n1,Old,Drama\n2,B,Comedy\n1,New,War\n");
    expect(movies).toEqual([
      { movieId: 2, title: "B", genres: ["Comedy"] },
      { movieId: 1, title: "New", genres: ["War"] },
    ]);
    expect(report.duplicates).toBe(1);
  });

  it("reports malformed rows with the line their record starts on", () => {
    const text = [
      "movieId,title,genres",
      '1,"Multi',
      'line",Drama',
      "x,Bad id,Drama",
      "3,Too,many,fields",
      '4,Stray "quote,Drama',
      '5,"Closed" then text,Drama',
      "6,Fine,Drama",
      '7,"Never closed,Drama',
    ].join("\n");
    const { movies, report } = parseMovies(text, { maxBadShare: 1 });
    expect(movies.map((m) => m.movieId)).toEqual([1, 6]);
    expect(report.badRows).toBe(5);
    expect(report.firstBadRows).toEqual([
      { line: 4, message: 'movieId "x" is not a positive integer' },
      { line: 5, message: "expected 3 fields, found 4" },
      { line: 6, message: "a quote inside an unquoted field (quote the whole field)" },
      { line: 7, message: "unexpected text after a closing quote" },
      { line: 9, message: "a quoted field is not closed before the end of the file" },
    ]);
  });

  it("fails on a wrong header, an empty file, or too many bad rows", () => {
    expect(() => parseMovies("id,name\n1,A\n")).toThrow(
      new RatingsFormatError(
        "line 1: movies header must have columns movieId and title (and genres); found: id,name",
      ),
    );
    expect(() => parseMovies("")).toThrow("the movies file is empty: it has no header line");
    expect(() => parseMovies("movieId,title,genres\n")).toThrow(
      "the movies file has a header but no data rows",
    );
    expect(() => parseMovies("movieId,title,genres\n1,A,Drama\n0,B,Drama\n")).toThrow(
      '1 of 2 movies rows (50%) are malformed, above the 1% limit; first: line 3: movieId "0" is not a positive integer',
    );
  });
});
