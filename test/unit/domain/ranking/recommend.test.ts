import { describe, expect, it } from "vitest";
import type {
  CatalogueReader,
  MovieSummary,
  PopularMovie,
  RecommendationData,
  RecommendationReader,
} from "../../../../shared/domain/ports.js";
import { POPULAR_DEPTH, popularReason, recommend } from "../../../../shared/domain/ranking/recommend.js";

const movie = (movieId: number, title: string, genres: string[]) => ({ movieId, title, genres });

/** Cluster 3 (size 4) liked 10 by 3 members, 11 by 2, 12 by 1; the user has 10 already. */
const clusterData: Extract<RecommendationData, { kind: "clusters" }> = {
  kind: "clusters",
  version: "v7",
  clusters: [
    {
      clusterId: 3,
      size: 4,
      weight: 1,
      counts: new Map([
        [10, 3],
        [11, 2],
        [12, 1],
      ]),
    },
  ],
  exclude: new Set([10]),
  movies: new Map([
    [10, movie(10, "Heat", ["Crime"])],
    [11, movie(11, "Alien", ["Horror", "Sci-Fi"])],
    [12, movie(12, "Up", ["Animation"])],
  ]),
  neighbours: new Map(),
  favouriteTitles: new Map(),
  placed: false,
};

const popular: PopularMovie[] = [
  {
    ...movie(20, "Casablanca", ["Drama"]),
    weightedRating: 4.1,
    ratingCount: 1,
    ratingMean: 4.5,
    favouriteCount: 1,
  },
  {
    ...movie(21, "Ran", ["Drama", "War"]),
    weightedRating: 4,
    ratingCount: 30,
    ratingMean: 4.04,
    favouriteCount: 9,
  },
  {
    ...movie(22, "Paths of Glory", ["War"]),
    weightedRating: 3.9,
    ratingCount: 8,
    ratingMean: 4,
    favouriteCount: 3,
  },
];

/** A reader over fixed answers that records what it was asked. */
function readerOf(data: RecommendationData, summaries: ReadonlyMap<number, MovieSummary> = new Map()) {
  const pages: { limit: number; offset: number }[] = [];
  const looked: (readonly number[])[] = [];
  /** Whether each read of the user's data asked for titles. */
  const titled: boolean[] = [];
  const reader: RecommendationReader = {
    recommendationData: async (_userId, options) => {
      titled.push(options?.titles ?? true);
      return data;
    },
    popularMovies: async (page) => {
      pages.push(page);
      return { version: "v7", movies: popular.slice(page.offset, page.offset + page.limit) };
    },
    movieSummaries: async (ids) => {
      looked.push(ids);
      return summaries;
    },
  };
  return { reader, pages, looked, titled };
}

const request = { userId: 5, limit: 10, offset: 0, neighbourWeight: 0 };

describe("recommend: from the user's taste cluster", () => {
  it("ranks by share of members, leaves out what the user has, explains each, and never reads the popular list", async () => {
    const { reader, pages, looked } = readerOf(clusterData);
    expect(await recommend(reader, request)).toEqual({
      userId: 5,
      modelVersion: "v7",
      source: "cluster",
      clusterId: 3,
      items: [
        {
          movieId: 11,
          title: "Alien",
          genres: ["Horror", "Sci-Fi"],
          score: 0.5,
          reason: "liked by 2 of the 4 people in your taste group",
        },
        {
          movieId: 12,
          title: "Up",
          genres: ["Animation"],
          score: 0.25,
          reason: "liked by 1 of the 4 people in your taste group",
        },
      ],
    });
    expect(pages).toEqual([]);
    expect(looked).toEqual([]);
  });

  it("keeps only the asked genres (any case), pages, and says when the user was placed", async () => {
    const placed = readerOf({ ...clusterData, placed: true }).reader;
    const sciFi = await recommend(placed, { ...request, genre: "sci-fi" });
    expect(sciFi.source).toBe("placed-cluster");
    expect(sciFi.items.map((m) => m.movieId)).toEqual([11]);
    const second = await recommend(readerOf(clusterData).reader, { ...request, offset: 1 });
    expect(second.items.map((m) => m.movieId)).toEqual([12]);
  });

  it("blends the favourites' neighbours, names the favourite in the reason, and looks up titles it lacks", async () => {
    // The user's favourite 10 (liked by 5) has neighbour 30 (liked together by 4), which no cluster count has.
    const data = {
      ...clusterData,
      neighbours: new Map([
        [10, { likedBy: 5, neighbours: { movieIds: [30], weights: [0.9], together: [4] } }],
      ]),
      favouriteTitles: new Map([[10, "Heat (1995)"]]),
    };
    const { reader, looked } = readerOf(data, new Map([[30, movie(30, "Ronin", ["Action"])]]));
    const answer = await recommend(reader, { ...request, limit: 1, neighbourWeight: 1 });
    // score = 1 x 0 / 0.5 + 1 x 0.9 / 0.9 = 1 for 30; 11 gets 1 x 0.5 / 0.5 = 1 too; the tie goes to 11.
    expect(answer.items.map((m) => m.movieId)).toEqual([11]);
    const both = await recommend(reader, { ...request, limit: 2, neighbourWeight: 1 });
    expect(both.items[1]).toEqual({
      movieId: 30,
      title: "Ronin",
      genres: ["Action"],
      score: 1,
      reason: "because you liked Heat: 4 of the 5 people who liked it also liked this",
      similarTo: { movieId: 10, title: "Heat (1995)" },
    });
    expect(looked).toEqual([[30]]);
  });
});

describe("recommend: with the live catalogue", () => {
  // As above: favourite 10's neighbour 30 is in no cluster count; the catalogue knows it as an Action film.
  const data = {
    ...clusterData,
    neighbours: new Map([
      [10, { likedBy: 5, neighbours: { movieIds: [30], weights: [0.9], together: [4] } }],
    ]),
    favouriteTitles: new Map([[10, "Heat (1995)"]]),
  };
  const entry = (movieId: number, title: string, genres: string[]) => ({
    ...movie(movieId, title, genres),
    year: null,
    ratingCount: 0,
    ratingMean: null,
    favouriteCount: 0,
    imdbId: null,
    tmdbId: null,
  });
  const catalogueOf = (failure?: Error) => {
    const byId = new Map([
      [11, entry(11, "Alien", ["Horror", "Sci-Fi"])],
      [30, entry(30, "Ronin (1998)", ["Action"])],
    ]);
    const calls: string[] = [];
    const reader = {
      catalogueOf: async (version: string) => {
        calls.push(`catalogueOf ${version}`);
        if (failure) throw failure;
        return {
          version,
          index: undefined as never,
          byId,
          genres: [
            { genre: "Action", movies: 1 },
            { genre: "Horror", movies: 1 },
            { genre: "Sci-Fi", movies: 1 },
            { genre: "Animation", movies: 1 },
          ],
        };
      },
    } as unknown as CatalogueReader;
    return { reader, calls };
  };

  it("names every movie from the data's version's catalogue: counts read without titles, no other read", async () => {
    const { reader, looked, titled } = readerOf({ ...data, movies: new Map() });
    const catalogue = catalogueOf();
    const answer = await recommend(
      reader,
      { ...request, neighbourWeight: 1, genre: "action" },
      catalogue.reader,
    );
    expect(answer.items).toEqual([
      {
        movieId: 30,
        title: "Ronin (1998)",
        genres: ["Action"],
        score: 1,
        reason: "because you liked Heat: 4 of the 5 people who liked it also liked this",
        similarTo: { movieId: 10, title: "Heat (1995)" },
      },
    ]);
    expect(catalogue.calls).toEqual(["catalogueOf v7"]);
    expect(titled).toEqual([false]);
    expect(looked).toEqual([]);
  });

  it("checks genre names against it, and reads the counts again with titles when it fails to load", async () => {
    const { reader } = readerOf(data);
    await expect(
      recommend(reader, { ...request, genre: "western" }, catalogueOf().reader),
    ).rejects.toMatchObject({ field: "genre" });
    const outage = new Error("the catalogue could not be read");
    // With a genre to check, its failure is the answer's.
    await expect(recommend(reader, { ...request, genre: "action" }, catalogueOf(outage).reader)).rejects.toBe(
      outage,
    );
    // Without one, the reader names the movies: the counts with titles, then the one movie they lack.
    const again = readerOf(data, new Map([[30, movie(30, "Ronin", ["Action"])]]));
    const answer = await recommend(
      again.reader,
      { ...request, limit: 2, neighbourWeight: 1 },
      catalogueOf(outage).reader,
    );
    expect(answer.items.map((m) => [m.movieId, m.title])).toEqual([
      [11, "Alien"],
      [30, "Ronin"],
    ]);
    expect(again.titled).toEqual([false, true]);
    expect(again.looked).toEqual([[30]]);
  });
});

describe("recommend: the popular fallback for a user with no history", () => {
  it("passes the asked page through, labelled as popular", async () => {
    const { reader, pages } = readerOf({ kind: "no-history", version: "v7", exclude: new Set() });
    const answer = await recommend(reader, { ...request, limit: 1, offset: 1 });
    expect(pages).toEqual([{ limit: 1, offset: 1 }]);
    expect(answer).toEqual({
      userId: 5,
      modelVersion: "v7",
      source: "popular",
      items: [
        {
          movieId: 21,
          title: "Ran",
          genres: ["Drama", "War"],
          score: 4,
          reason: "popular with everyone: rated 4.0 on average by 30 people",
        },
      ],
    });
  });

  it("with a genre filter or dismissed movies, reads POPULAR_DEPTH deep, then filters and pages", async () => {
    const { reader, pages } = readerOf({ kind: "no-history", version: "v7", exclude: new Set([21]) });
    const war = await recommend(reader, { ...request, genre: "WAR" });
    expect(pages).toEqual([{ limit: POPULAR_DEPTH, offset: 0 }]);
    expect(war.items.map((m) => m.movieId)).toEqual([22]);
    const all = await recommend(reader, { ...request, offset: 1 });
    expect(all.items.map((m) => m.movieId)).toEqual([22]);
  });
});

describe("popularReason", () => {
  it("says person for one rating, and speaks of favourites when the model had no ratings", () => {
    expect(popularReason(popular[0]!)).toBe("popular with everyone: rated 4.5 on average by 1 person");
    const favouritesOnly = { ...popular[1]!, weightedRating: null, ratingMean: null, ratingCount: 0 };
    expect(popularReason(favouritesOnly)).toBe("popular with everyone: a favourite of 9 people");
  });
});
