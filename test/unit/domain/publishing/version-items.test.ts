import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../shared/domain/errors.js";
import {
  buildVersionItems,
  checkVersionId,
  checkVersionInput,
  type VersionItem,
  versionInfo,
} from "../../../../shared/domain/publishing/version-items.js";
import {
  favouritesCsr,
  TINY_FAVOURITES,
  TINY_WRITE_OPTIONS,
  tinyVersion,
} from "../../../helpers/tiny-model.js";

type Kind = VersionItem["kind"];
const ofKind = <K extends Kind>(items: VersionItem[], kind: K) =>
  items.filter((item): item is Extract<VersionItem, { kind: K }> => item.kind === kind);

/** The tiny model (test/helpers/tiny-model.ts): cluster 0 = users 1-3, cluster 1 = users 4-5, 7 movies. */
describe("buildVersionItems", () => {
  const input = tinyVersion("v1");
  const items = buildVersionItems(input, TINY_WRITE_OPTIONS);

  it("writes the catalogue first, with each movie's rating count and mean", () => {
    expect(items.slice(0, 7)).toEqual(ofKind(items, "movie"));
    expect(ofKind(items, "movie").map((m) => [m.movieId, m.ratingCount, m.ratingMean])).toEqual([
      [10, 4, 4.5],
      [11, 2, 4],
      [12, 3, 4],
      [13, 1, 5],
      [14, 2, 3.5],
      [15, 2, 4.5],
      [16, 1, 2],
    ]);
    expect(items[0]).toEqual({
      kind: "movie",
      movieId: 10,
      title: "Toy Story (1995)",
      genres: ["Animation", "Comedy"],
      ratingCount: 4,
      ratingMean: 4.5,
    });
  });

  it("gives each cluster its counts (count descending, then movieId), then its profile", () => {
    const counts = ofKind(items, "count");
    const row = (c: (typeof counts)[number]) => [c.cluster, c.movieId, c.count];
    expect(counts.filter((c) => c.cluster !== "global").map(row)).toEqual([
      [0, 10, 3],
      [0, 12, 2],
      [0, 14, 2],
      [1, 11, 2],
      [1, 13, 1],
      [1, 15, 1],
    ]);
    expect(
      ofKind(items, "cluster-profile").map(({ summary: _summary, centroidNorm2: _norm, ...rest }) => rest),
    ).toEqual([
      {
        kind: "cluster-profile",
        clusterId: 0,
        size: 3,
        topGenres: [
          { genre: "Animation", count: 5 },
          { genre: "Comedy", count: 5 },
        ],
      },
      {
        kind: "cluster-profile",
        clusterId: 1,
        size: 2,
        topGenres: [
          { genre: "Crime", count: 3 },
          { genre: "Action", count: 2 },
          { genre: "Drama", count: 1 },
          { genre: "Horror", count: 1 },
          { genre: "Sci-Fi", count: 1 },
        ],
      },
    ]);
    expect(ofKind(items, "cluster-profile").map((p) => p.summary.label)).toEqual([
      "Animation & Comedy: Toy Story",
      "Crime & Action: Heat",
    ]);
    // Cluster 0's counts, then its profile, then cluster 1's.
    expect(items.slice(7, 11).map((i) => i.kind)).toEqual(["count", "count", "count", "cluster-profile"]);
  });

  it("keeps every global count, uncapped and without a global count of its own", () => {
    const global = ofKind(items, "count").filter((c) => c.cluster === "global");
    expect(global.map((c) => [c.movieId, c.count])).toEqual([
      [10, 3],
      [11, 2],
      [12, 2],
      [14, 2],
      [13, 1],
      [15, 1],
    ]);
    expect(global.every((c) => c.neighbours === undefined)).toBe(true);
  });

  it("caps each cluster at clusterTopN movies but never the global counts", () => {
    const capped = buildVersionItems(input, { ...TINY_WRITE_OPTIONS, clusterTopN: 1 });
    const counts = ofKind(capped, "count");
    expect(counts.filter((c) => c.cluster !== "global").map((c) => [c.cluster, c.movieId])).toEqual([
      [0, 10],
      [1, 11],
    ]);
    expect(counts.filter((c) => c.cluster === "global")).toHaveLength(6);
  });

  it("gives each trained user their cluster, memberships and ascending favourites", () => {
    expect(ofKind(items, "user").map(({ seen: _seen, ...user }) => user)).toEqual([
      {
        kind: "user",
        userId: 1,
        cluster: 0,
        memberships: { clusters: [0], weights: [1] },
        favourites: Int32Array.from([10, 12]),
      },
      {
        kind: "user",
        userId: 2,
        cluster: 0,
        memberships: { clusters: [0], weights: [1] },
        favourites: Int32Array.from([10, 14]),
      },
      {
        kind: "user",
        userId: 3,
        cluster: 0,
        memberships: { clusters: [0], weights: [1] },
        favourites: Int32Array.from([10, 12, 14]),
      },
      {
        kind: "user",
        userId: 4,
        cluster: 1,
        memberships: { clusters: [1], weights: [1] },
        favourites: Int32Array.from([11, 13]),
      },
      {
        kind: "user",
        userId: 5,
        cluster: 1,
        memberships: { clusters: [1], weights: [1] },
        favourites: Int32Array.from([11, 15]),
      },
    ]);
  });

  it("rounds membership weights to 4 decimals, skips empty slots, and falls back to the cluster with weight 1", () => {
    const model = {
      ...input.model,
      membershipWidth: 2,
      membershipClusters: Int32Array.from([0, 1, 0, -1, -1, -1, 1, 0, 1, -1]),
      membershipWeights: Float32Array.from([2 / 3, 1 / 3, 1, 0, 0, 0, 0.75, 0.25, 1, 0]),
    };
    const users = ofKind(buildVersionItems({ ...input, model }, TINY_WRITE_OPTIONS), "user");
    expect(users.map((u) => u.memberships)).toEqual([
      { clusters: [0, 1], weights: [0.6667, 0.3333] },
      { clusters: [0], weights: [1] },
      { clusters: [0], weights: [1] },
      { clusters: [1, 0], weights: [0.75, 0.25] },
      { clusters: [1], weights: [1] },
    ]);
  });

  it("ends with the popular list: IMDb weighted rating, movies under popularMinVotes after the others", () => {
    // C = 61 / 15 over all 15 ratings; m = 2. Movie 10: 4/6 x 4.5 + 2/6 x C = 4.356.
    expect(items.at(-1)!.kind).toBe("popular");
    const [popular] = ofKind(items, "popular");
    expect(popular!.movies.map((m) => [m.movieId, m.weightedRating, m.ratingCount, m.ratingMean])).toEqual([
      [10, 4.356, 4, 4.5],
      [15, 4.283, 2, 4.5],
      [11, 4.033, 2, 4],
      [12, 4.027, 3, 4],
      [14, 3.783, 2, 3.5],
      [13, 4.378, 1, 5],
      [16, 3.378, 1, 2],
    ]);
    expect(popular!.movies[0]).toEqual({
      movieId: 10,
      title: "Toy Story (1995)",
      genres: ["Animation", "Comedy"],
      weightedRating: 4.356,
      ratingCount: 4,
      ratingMean: 4.5,
      favouriteCount: 3,
    });
    // Movies, cluster counts, profiles, global counts, users, popular; one catalogue chunk and the genres.
    expect(items).toHaveLength(7 + 6 + 2 + 6 + 5 + 1 + 2);
  });

  it("stores each user's seen movies: rated at any value, minus their favourites", () => {
    const rated = favouritesCsr({ ...TINY_FAVOURITES, 1: [10, 12, 16, 13] });
    const users = ofKind(buildVersionItems({ ...input, rated }, TINY_WRITE_OPTIONS), "user");
    expect(users.find((u) => u.userId === 1)!.seen).toEqual(Int32Array.from([13, 16]));
    expect(users.find((u) => u.userId === 2)!.seen).toEqual(new Int32Array(0));
    expect(ofKind(items, "user").every((u) => u.seen.length === 0)).toBe(true);
  });

  it("stores the catalogue in chunks with years, figures and links, and the genres with counts", () => {
    const withLinks = buildVersionItems(
      { ...input, links: [{ movieId: 13, imdbId: "tt0078748", tmdbId: 348 }], chartSvg: "<svg/>" },
      TINY_WRITE_OPTIONS,
    );
    const [chunk] = ofKind(withLinks, "catalogue-chunk");
    expect(chunk!.movies.map((m) => m.movieId)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(chunk!.movies[3]).toEqual({
      movieId: 13,
      title: "Alien (1979)",
      year: 1979,
      genres: ["Horror", "Sci-Fi"],
      ratingCount: 1,
      ratingMean: 5,
      favouriteCount: 1,
      imdbId: "tt0078748",
      tmdbId: 348,
    });
    expect(ofKind(withLinks, "genres")[0]!.genres[0]).toEqual({ genre: "Animation", movies: 2 });
    expect(ofKind(withLinks, "chart")).toEqual([{ kind: "chart", svg: "<svg/>" }]);
  });

  it("stores neighbours on the global counts of the movies that have some", () => {
    const neighbours = {
      movieIds: Int32Array.from([10, 11, 12]),
      favourites: Int32Array.from([2, 1, 2]),
      offsets: Int32Array.from([0, 2, 2, 3]),
      neighbours: Int32Array.from([12, 14, 10]),
      similarities: Float32Array.from([0.75, 0.5, 0.25]),
      together: Int32Array.from([3, 2, 1]),
    };
    const global = ofKind(buildVersionItems({ ...input, neighbours }, TINY_WRITE_OPTIONS), "count").filter(
      (c) => c.cluster === "global",
    );
    const of = (movieId: number) => global.find((c) => c.movieId === movieId)!.neighbours;
    expect(of(10)).toEqual({
      movieIds: Int32Array.from([12, 14]),
      similarities: Float32Array.from([0.75, 0.5]),
      together: Int32Array.from([3, 2]),
    });
    expect(of(11)).toBeUndefined();
    expect(of(12)).toEqual({
      movieIds: Int32Array.from([10]),
      similarities: Float32Array.from([0.25]),
      together: Int32Array.from([1]),
    });
    expect(of(14)).toBeUndefined();
  });

  it("leaves title and genres empty for counted movies the catalogue does not list, and them off the popular list", () => {
    const partial = buildVersionItems(
      { ...input, movies: input.movies.filter((m) => m.movieId !== 10) },
      TINY_WRITE_OPTIONS,
    );
    const count = ofKind(partial, "count").find((c) => c.cluster === 0 && c.movieId === 10)!;
    expect([count.title, count.genres]).toEqual(["", []]);
    expect(ofKind(partial, "movie")).toHaveLength(6);
    expect(ofKind(partial, "popular")[0]!.movies.map((m) => m.movieId)).toEqual([15, 11, 12, 14, 13, 16]);
  });
});

describe("versionInfo", () => {
  it("describes the version for its metadata item", () => {
    expect(versionInfo(tinyVersion("v1", Date.UTC(2026, 10, 21, 6, 0, 0)))).toEqual({
      trainedAt: "2026-11-21T06:00:00.000Z",
      k: 2,
      kSelection: {
        rule: "fixed",
        chosenK: 2,
        candidates: [{ k: 2, wcss: 1.5, silhouette: null }],
        confidence: "none",
        explanation: "k = 2 was given in config.",
      },
      params: {
        k: 2,
        seed: 7,
        geometry: "cosine",
        favouriteThreshold: 4,
        minClusterSize: 1,
        restarts: 1,
        maxIterations: 10,
      },
      stats: { ratingRows: 15, badRows: 0, users: 5, movies: 7, favourites: 11 },
      inertia: 1.5,
      iterations: 3,
      clusterSizes: [3, 2],
      users: 5,
      source: { bucket: "ratings", key: "ratings.csv", versionId: null },
    });
  });
});

describe("checkVersionId and checkVersionInput", () => {
  it("accept 1-64 letters, digits, - and _", () => {
    expect(() => checkVersionId("20261121T061600Z-ab12_x")).not.toThrow();
    expect(() => checkVersionId("a".repeat(64))).not.toThrow();
  });

  it.each(["", "a".repeat(65), "v 1", "v#1", "v/1"])("reject %j, naming the field", (version) => {
    let error: unknown;
    try {
      checkVersionId(version);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      `version ${JSON.stringify(version)} must be 1-64 letters, digits, - or _`,
    );
  });

  it("reject a model whose cluster ids are not 0..k-1 in order", () => {
    const input = tinyVersion("v1");
    const clusters = [...input.model.clusters].reverse();
    expect(() => checkVersionInput({ ...input, model: { ...input.model, clusters } })).toThrow(
      "cluster ids must be 0..k-1 in order",
    );
  });
});
