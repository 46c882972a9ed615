import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as getModelChart } from "../../functions/get-model-chart/create-handler.js";
import { createHandler as getMovie } from "../../functions/get-movie/create-handler.js";
import { createHandler as getSimilarMovies } from "../../functions/get-similar-movies/create-handler.js";
import { createHandler as listClusters } from "../../functions/list-clusters/create-handler.js";
import { createHandler as listGenres } from "../../functions/list-genres/create-handler.js";
import { createHandler as searchMovies } from "../../functions/search-movies/create-handler.js";
import { bindCatalogueReader } from "../../shared/adapters/dynamo-catalogue-reader.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { buildFavouriteMatrix } from "../../shared/domain/clustering/sparse-matrix.js";
import type { CatalogueReader } from "../../shared/domain/ports.js";
import { itemNeighbours } from "../../shared/domain/ranking/item-neighbours.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { ratingsTable } from "../helpers/matrix-fixtures.js";
import { TINY_FAVOURITES, TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

let table: TableRef;
let catalogue: CatalogueReader;
const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

const favouriteRows = Object.entries(TINY_FAVOURITES).flatMap(([user, movies]) =>
  movies.map((movie) => [Number(user), movie, 5] as const),
);

async function publish(version: string): Promise<void> {
  await acquireTrainingLock(table, "trainer", NOW, 60_000);
  await beginModelVersion(table, version, "trainer", NOW);
  await writeModelVersion(
    table,
    {
      ...tinyVersion(version),
      neighbours: itemNeighbours(buildFavouriteMatrix(ratingsTable(favouriteRows))),
      links: [{ movieId: 13, imdbId: "tt0078748", tmdbId: 348 }],
      chartSvg: "<svg>k</svg>",
    },
    TINY_WRITE_OPTIONS,
  );
  await publishModelVersion(table, version, "trainer", NOW);
}

const call = async (
  handler: (deps: { catalogue: CatalogueReader }) => ReturnType<typeof searchMovies>,
  options: { path?: Record<string, string>; query?: Record<string, string> } = {},
) => {
  const result = await handler({ catalogue })(
    apiEvent({
      ...(options.path ? { pathParameters: options.path } : {}),
      ...(options.query ? { query: options.query } : {}),
    }),
  );
  return {
    status: result.statusCode,
    body: String(result.headers?.["content-type"] ?? "").includes("json") ? bodyOf(result) : result.body,
  };
};

describe("catalogue routes before any model", () => {
  beforeAll(async () => {
    table = await createTestTable("catalogue-routes");
    catalogue = bindCatalogueReader(table);
  });

  it("answer 404 model", async () => {
    for (const handler of [searchMovies, listGenres, listClusters, getModelChart]) {
      const { status, body } = await call(handler);
      expect(status).toBe(404);
      expect(body.message).toMatch(/no model/);
    }
  });
});

describe("catalogue routes with the tiny model", () => {
  beforeAll(async () => {
    await publish("v1");
  });

  it("search forgives case, articles, accents and years, exact match first", async () => {
    const titles = async (search: string) =>
      bodyOf(await searchMovies({ catalogue })(apiEvent({ query: { search } }))).items.map(
        (m: { title: string }) => m.title,
      );
    expect(await titles("TOY story")).toEqual(["Toy Story (1995)"]);
    expect(await titles("toy story (1995)")).toEqual(["Toy Story (1995)"]);
    expect(await titles("toy story 1996")).toEqual([]);
    expect(await titles("indeed rare")).toEqual(["Rare, Indeed (2001)"]);
    expect(await titles("rare indeed")).toEqual(["Rare, Indeed (2001)"]);
    expect(await titles("álien")).toEqual(["Alien (1979)"]);
    expect(await titles("the fargo")).toEqual(["Fargo (1996)"]);
  });

  it("without search lists by favourites, pages by cursor, and filters by any of several genres", async () => {
    const first = bodyOf(await searchMovies({ catalogue })(apiEvent({ query: { limit: "2" } })));
    expect(first.total).toBe(7);
    expect(first.items.map((m: { movieId: number }) => m.movieId)).toEqual([10, 12]);
    expect(first.items[0]).toEqual({
      movieId: 10,
      title: "Toy Story (1995)",
      year: 1995,
      genres: ["Animation", "Comedy"],
      ratingCount: 4,
      ratingMean: 4.5,
      favouriteCount: 3,
      match: null,
    });
    const second = bodyOf(
      await searchMovies({ catalogue })(apiEvent({ query: { limit: "2", cursor: first.nextCursor } })),
    );
    expect(second.items.map((m: { movieId: number }) => m.movieId)).toEqual([11, 14]);
    const filtered = bodyOf(
      await searchMovies({ catalogue })(apiEvent({ query: { genre: "horror,Drama" } })),
    );
    expect(filtered.items.map((m: { movieId: number }) => m.movieId)).toEqual([15, 13, 16]);
    // The parameter repeated (API Gateway joins the values with a comma) is the same filter.
    const repeated = bodyOf(
      await searchMovies({ catalogue })({
        ...apiEvent({ query: { genre: "horror,Drama" } }),
        rawQueryString: "genre=horror&genre=Drama",
      }),
    );
    expect(repeated.items).toEqual(filtered.items);
  });

  it("an unknown genre or a foreign cursor is a 400 naming the field", async () => {
    const genre = await call(searchMovies, { query: { genre: "Comedy,Western" } });
    expect(genre.status).toBe(400);
    expect(genre.body.message).toContain('"Western"');
    expect(genre.body.message).toContain(
      "valid genres: Action, Animation, Comedy, Crime, Drama, Horror, Sci-Fi",
    );
    const cursor = await call(searchMovies, { query: { cursor: "nonsense" } });
    expect(cursor.status).toBe(400);
    expect(cursor.body.message).toMatch(/^cursor/);
  });

  it("genres come with their movie counts", async () => {
    const { body } = await call(listGenres);
    expect(body.items.slice(0, 3)).toEqual([
      { genre: "Animation", movies: 2 },
      { genre: "Comedy", movies: 2 },
      { genre: "Crime", movies: 2 },
    ]);
  });

  it("a movie page has figures, the groups that love it and its links; unknown ids are 404, bad ones 400", async () => {
    const { status, body } = await call(getMovie, { path: { movieId: "13" } });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      movieId: 13,
      title: "Alien (1979)",
      year: 1979,
      favouriteCount: 1,
      tasteGroups: [{ clusterId: 1, size: 2, likedBy: 1, share: 0.5, lift: 2.5 }],
      links: {
        imdb: "https://www.imdb.com/title/tt0078748/",
        tmdb: "https://www.themoviedb.org/movie/348",
      },
    });
    expect((await call(getMovie, { path: { movieId: "10" } })).body.links).toEqual({
      imdb: null,
      tmdb: null,
    });
    expect((await call(getMovie, { path: { movieId: "99" } })).status).toBe(404);
    expect((await call(getMovie, { path: { movieId: "abc" } })).status).toBe(400);
  });

  it("similar movies carry the counts behind them and leave out what the user has seen", async () => {
    const { body } = await call(getSimilarMovies, { path: { movieId: "10" } });
    expect(body.items.map((m: { movieId: number }) => m.movieId)).toEqual([12, 14]);
    expect(body.items[0]).toEqual({
      movieId: 12,
      title: "Up (2009)",
      genres: ["Animation"],
      // The stored neighbour weight, whatever weighting training uses (stored order follows it).
      similarity: body.items[0].similarity,
      likedByBoth: 2,
      reason: "liked by 2 of the 3 people who liked Toy Story",
    });
    // User 1 favourites 10 and 12: only 14 is left.
    expect(body.items[0].similarity).toBeGreaterThanOrEqual(body.items[1].similarity);
    expect(body.items[0].similarity).toBeGreaterThan(0);
    const forUser = await call(getSimilarMovies, { path: { movieId: "10" }, query: { userId: "1" } });
    expect(forUser.body.items.map((m: { movieId: number }) => m.movieId)).toEqual([14]);
    expect((await call(getSimilarMovies, { path: { movieId: "10" }, query: { userId: "x" } })).status).toBe(
      400,
    );
    expect((await call(getSimilarMovies, { path: { movieId: "77" } })).status).toBe(404);
  });

  it("clusters have labels and distinctive genres and movies by lift, with counts", async () => {
    const { body } = await call(listClusters);
    expect(body.items).toHaveLength(2);
    expect(body.items[1]).toMatchObject({
      clusterId: 1,
      size: 2,
      label: "Crime & Action: Heat",
      distinctiveMovies: [{ movieId: 11, likedBy: 2, share: 1, overallShare: 0.4, lift: 2.5 }],
    });
    // Crime: 3 of the group's 4 favourites (0.75) against 3 of everyone's 11: lift 2.75.
    expect(body.items[1].distinctiveGenres[0]).toEqual({
      genre: "Crime",
      favourites: 3,
      share: 0.75,
      overallShare: 0.2727,
      lift: 2.75,
    });
  });

  it("the k-selection chart is served as SVG", async () => {
    const result = await getModelChart({ catalogue })(apiEvent({}));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.["content-type"]).toBe("image/svg+xml");
    expect(result.body).toBe("<svg>k</svg>");
  });
});
