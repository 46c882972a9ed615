import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../shared/domain/errors.js";
import {
  generateDataset,
  MIN_RATINGS_PER_USER,
  planSyntheticDataset,
  validateSyntheticSpec,
  writeSyntheticRatingsCsv,
} from "../../../../shared/domain/evaluation/synthetic-dataset.js";
import { CsvWriter } from "../../../../shared/domain/input/csv-writer.js";
import { parseMovies } from "../../../../shared/domain/input/movies-parser.js";
import { parseRatings } from "../../../../shared/domain/input/ratings-parser.js";

const SPEC = { users: 300, movies: 800, ratings: 24_000, seed: 7, groups: 6 };

function collect(write: (sink: (bytes: Uint8Array) => void) => void): string {
  const parts: Uint8Array[] = [];
  write((bytes) => parts.push(bytes.slice()));
  return Buffer.concat(parts).toString("utf8");
}

describe("CsvWriter", () => {
  it("writes integers digit by digit and quotes fields by RFC 4180", () => {
    const text = collect((sink) => {
      const out = new CsvWriter(sink, 64);
      for (const n of [0, 7, 10, 4294967295]) {
        out.uint(n);
        out.byte(44);
      }
      out.field("plain");
      out.byte(44);
      out.field('Say "Hi", Sam');
      out.byte(44);
      out.field("two\nlines");
      out.flush();
    });
    expect(text).toBe('0,7,10,4294967295,plain,"Say ""Hi"", Sam","two\nlines"');
  });
});

describe("generateDataset", () => {
  const data = generateDataset(SPEC);
  const { table, report } = parseRatings(data.ratingsCsv);

  it("is deterministic by seed and differs across seeds", () => {
    const again = generateDataset(SPEC);
    expect(again.ratingsCsv).toBe(data.ratingsCsv);
    expect(again.moviesCsv).toBe(data.moviesCsv);
    expect(again.plantedGroupsCsv).toBe(data.plantedGroupsCsv);
    expect(generateDataset({ ...SPEC, seed: 8 }).ratingsCsv).not.toBe(data.ratingsCsv);
  });

  it("writes the same bytes whatever the buffer size", () => {
    const plan = planSyntheticDataset(SPEC);
    expect(collect((sink) => writeSyntheticRatingsCsv(plan, sink, 64))).toBe(data.ratingsCsv);
  });

  it("writes MovieLens-format ratings: exact row count, header, LF, no duplicate (user, movie)", () => {
    expect(data.ratingsCsv.startsWith("userId,movieId,rating,timestamp\n")).toBe(true);
    expect(data.ratingsCsv.includes("\r")).toBe(false);
    expect(report).toMatchObject({ format: "ratings", rowsRead: SPEC.ratings, badRows: 0, duplicates: 0 });
  });

  it("gives every user 1..U at least 20 ratings, with a long tail of activity", () => {
    const perUser = new Map<number, number>();
    for (const user of table.userIds) perUser.set(user, (perUser.get(user) ?? 0) + 1);
    expect([...perUser.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: SPEC.users }, (_, i) => i + 1),
    );
    const counts = [...perUser.values()].sort((a, b) => a - b);
    expect(counts[0]).toBeGreaterThanOrEqual(MIN_RATINGS_PER_USER);
    expect(counts.at(-1)!).toBeGreaterThan(4 * counts[counts.length >> 1]!);
  });

  it("rates in half steps from 0.5 to 5, about half of them 4 or above", () => {
    const values = new Set(table.ratings);
    for (const value of values)
      expect(value * 2 >= 1 && value * 2 <= 10 && Number.isInteger(value * 2)).toBe(true);
    const favourites = table.favourite.reduce((sum, f) => sum + f, 0) / table.length;
    expect(favourites).toBeGreaterThan(0.4);
    expect(favourites).toBeLessThan(0.6);
  });

  it("gives movie popularity a long tail: the top 10% of movies hold over a third of ratings", () => {
    const perMovie = new Map<number, number>();
    for (const movie of table.movieIds) perMovie.set(movie, (perMovie.get(movie) ?? 0) + 1);
    const counts = [...perMovie.values()].sort((a, b) => b - a);
    const top = counts.slice(0, SPEC.movies / 10).reduce((sum, c) => sum + c, 0);
    expect(top / table.length).toBeGreaterThan(1 / 3);
  });

  it("writes a catalogue with quoted titles that rated movie ids all belong to", () => {
    const { movies, report: moviesReport } = parseMovies(data.moviesCsv);
    expect(moviesReport.badRows).toBe(0);
    expect(movies).toEqual(data.movies);
    expect(movies.length).toBe(SPEC.movies);
    expect(movies.some((m) => m.title.includes(","))).toBe(true);
    expect(movies.some((m) => m.title.includes('"'))).toBe(true);
    expect(data.moviesCsv).toContain('""');
    const ids = new Set(movies.map((m) => m.movieId));
    expect(table.movieIds.every((id) => ids.has(id))).toBe(true);
  });

  it("plants taste groups: a group's favourites fall mostly on its own movies", () => {
    const plan = planSyntheticDataset(SPEC);
    const groupOfMovie = new Map<number, number>();
    plan.movieIds.forEach((id, i) => {
      groupOfMovie.set(id, plan.movieGroup[i]!);
    });
    let own = 0;
    let favourites = 0;
    for (let i = 0; i < table.length; i++) {
      if (table.favourite[i] !== 1) continue;
      favourites++;
      if (groupOfMovie.get(table.movieIds[i]!) === data.plantedGroups[table.userIds[i]! - 1]) own++;
    }
    // By chance it would be about 1 in 6.
    expect(own / favourites).toBeGreaterThan(0.5);
  });

  it("writes planted-groups.csv with every user's group, every group used", () => {
    const lines = data.plantedGroupsCsv.trimEnd().split("\n");
    expect(lines[0]).toBe("userId,group");
    expect(lines.length).toBe(SPEC.users + 1);
    expect(lines[1]).toBe(`1,${data.plantedGroups[0]}`);
    expect(new Set(data.plantedGroups)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});

describe("validateSyntheticSpec", () => {
  it("fills the default of 8 groups", () => {
    expect(validateSyntheticSpec({ users: 10, movies: 100, ratings: 300, seed: 1 }).groups).toBe(8);
  });

  it("names the field that makes a spec impossible", () => {
    const cases: [object, string, string][] = [
      [{ ratings: 100 }, "ratings", "ratings must be at least 20 per user (200); got 100"],
      [
        { ratings: 10_000 },
        "ratings",
        "ratings must be at most 50 per user (half the movies: 500); got 10000",
      ],
      [{ movies: 10 }, "movies", "movies must be at least 20; got 10"],
      [{ users: 0 }, "users", "users must be a whole number >= 1; got 0"],
      [{ groups: 11 }, "groups", "groups must be at most the number of users (10); got 11"],
    ];
    for (const [change, field, message] of cases) {
      const spec = { users: 10, movies: 100, ratings: 300, seed: 1, ...change };
      let error: unknown;
      try {
        validateSyntheticSpec(spec);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect((error as ValidationError).message).toBe(message);
    }
  });
});
