import { describe, expect, it } from "vitest";
import { parseGenreFilter } from "../../../../shared/domain/catalogue/genre-filter.js";
import { parseLinks } from "../../../../shared/domain/catalogue/links-parser.js";
import { createTitleIndex, searchTitles } from "../../../../shared/domain/catalogue/search.js";
import { parseQuery, parseTitle, titleKey } from "../../../../shared/domain/catalogue/titles.js";

const movie = (movieId: number, title: string, favouriteCount: number, genres: string[] = []) => ({
  movieId,
  title,
  genres,
  favouriteCount,
  ratingCount: favouriteCount,
});

describe("titles", () => {
  it("take MovieLens titles apart: trailing article, alternative names, year", () => {
    expect(parseTitle("Matrix, The (1999)")).toEqual({ name: "The Matrix", alternatives: [], year: 1999 });
    expect(parseTitle("City of Lost Children, The (Cité des enfants perdus, La) (1995)")).toEqual({
      name: "The City of Lost Children",
      alternatives: ["La Cité des enfants perdus"],
      year: 1995,
    });
    expect(parseTitle("Black Mirror")).toEqual({ name: "Black Mirror", alternatives: [], year: null });
    expect(parseTitle("Babylon 5 (1994-1998)").year).toBe(1994);
  });

  it("reduce names and queries to one key: case, accents, punctuation, leading article", () => {
    expect(titleKey("The Matrix")).toBe("matrix");
    expect(titleKey("AMÉLIE")).toBe("amelie");
    expect(titleKey("Don't Look Now")).toBe("dont look now");
    expect(titleKey("Fast & Furious")).toBe("fast and furious");
    expect(titleKey("The")).toBe("the");
    expect(parseQuery("Matrix, The (1999)")).toEqual({ key: "matrix", year: 1999 });
    expect(parseQuery("the matrix 1999")).toEqual({ key: "matrix", year: 1999 });
    expect(parseQuery("2001")).toEqual({ key: "2001", year: null });
  });
});

describe("searchTitles", () => {
  const index = createTitleIndex([
    movie(1, "Toy Story (1995)", 50),
    movie(2, "Toy Story 2 (1999)", 80),
    movie(3, "Story of Toys, The (2001)", 90),
    movie(4, "Matrix, The (1999)", 70, ["Sci-Fi"]),
    movie(5, "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", 10),
    movie(6, "Toy Soldiers (1991)", 5),
  ]);
  const ids = (query: string | undefined, extra: object = {}) =>
    searchTitles(index, { query, limit: 10, offset: 0, ...extra }).hits.map((h) => h.movie.movieId);

  it("ranks exact, then prefix, then word matches; popularity within each", () => {
    expect(ids("toy story")).toEqual([1, 2, 3]);
    expect(
      searchTitles(index, { query: "toy story", limit: 10, offset: 0 }).hits.map((h) => h.match),
    ).toEqual(["exact", "prefix", "words"]);
    expect(ids("toy")).toEqual([2, 1, 6, 3]);
    expect(ids("the matrix")).toEqual([4]);
    expect(ids("amelie")).toEqual([5]);
    expect(ids("fabuleux destin")).toEqual([5]);
    expect(ids("toy story 1999")).toEqual([2]);
    expect(ids("nothing like it")).toEqual([]);
  });

  it("reads a trailing number as part of the name when no film of that year matches", () => {
    const films = createTitleIndex([
      movie(1, "Toy Story (1995)", 50),
      movie(7, "Blade Runner 2049 (2017)", 40),
    ]);
    const find = (query: string) =>
      searchTitles(films, { query, limit: 10, offset: 0 }).hits.map((h) => h.movie.movieId);
    expect(find("blade runner 2049")).toEqual([7]);
    expect(find("blade runner 2049 (2017)")).toEqual([7]);
    expect(find("toy story 1995")).toEqual([1]);
    expect(find("toy story 1996")).toEqual([]);
  });

  it("lists everything by popularity without a query, and filters and pages", () => {
    expect(ids(undefined)).toEqual([3, 2, 4, 1, 5, 6]);
    expect(ids("  ")).toEqual([3, 2, 4, 1, 5, 6]);
    expect(ids(undefined, { accept: (m: { genres: string[] }) => m.genres.includes("Sci-Fi") })).toEqual([4]);
    const page = searchTitles(index, { query: "toy", limit: 2, offset: 1 });
    expect(page.hits.map((h) => h.movie.movieId)).toEqual([1, 6]);
    expect(page.total).toBe(4);
  });
});

describe("parseGenreFilter", () => {
  const known = ["Comedy", "Drama", "Sci-Fi"];
  it("accepts several genres in any case and keeps movies with any of them", () => {
    const filter = parseGenreFilter("comedy, SCI-FI", known)!;
    expect(filter.genres).toEqual(["Comedy", "Sci-Fi"]);
    expect(filter.accepts(["Drama", "Sci-Fi"])).toBe(true);
    expect(filter.accepts(["Drama"])).toBe(false);
    expect(parseGenreFilter(undefined, known)).toBeUndefined();
  });
  it("names the unknown genre and the valid ones", () => {
    expect(() => parseGenreFilter("Comedy,Western", known)).toThrow(
      'genre "Western" is not a genre of the live model; valid genres: Comedy, Drama, Sci-Fi',
    );
    expect(() => parseGenreFilter(",", known)).toThrow("genre must name at least one genre");
  });
});

describe("parseLinks", () => {
  it("reads IMDb ids with their zeros and optional TMDb ids, skipping bad rows", () => {
    expect(parseLinks("movieId,imdbId,tmdbId\n1,0114709,862\n2,0113497,\nx,1,2\n")).toEqual({
      links: [
        { movieId: 1, imdbId: "tt0114709", tmdbId: 862 },
        { movieId: 2, imdbId: "tt0113497", tmdbId: null },
      ],
      badRows: 1,
    });
    expect(() => parseLinks("a,b\n")).toThrow(/header/);
  });
});
