import type { TrainedModel } from "../../shared/domain/clustering/model.js";
import type { Movie } from "../../shared/domain/input/ratings.js";
import type { ModelVersionInput, UserFavourites } from "../../shared/domain/publishing/version-items.js";

/**
 * A model small enough to check by hand. Cluster 0 = users 1, 2, 3; cluster 1 = users 4, 5.
 *   u1: 10 12   u2: 10 14   u3: 10 12 14   u4: 11 13   u5: 11 15
 * Cluster 0 counts: 10:3 12:2 14:2. Cluster 1: 11:2 13:1 15:1. Movie 16 has ratings but no favourites.
 */
export const TINY_MOVIES: Movie[] = [
  { movieId: 10, title: "Toy Story (1995)", genres: ["Animation", "Comedy"] },
  { movieId: 11, title: "Heat (1995)", genres: ["Action", "Crime"] },
  { movieId: 12, title: "Up (2009)", genres: ["Animation"] },
  { movieId: 13, title: "Alien (1979)", genres: ["Horror", "Sci-Fi"] },
  { movieId: 14, title: "Airplane! (1980)", genres: ["Comedy"] },
  { movieId: 15, title: "Fargo (1996)", genres: ["Crime", "Drama"] },
  { movieId: 16, title: "Rare, Indeed (2001)", genres: ["Drama"] },
];

export const TINY_FAVOURITES: Record<number, number[]> = {
  1: [10, 12],
  2: [10, 14],
  3: [10, 12, 14],
  4: [11, 13],
  5: [11, 15],
};

/** Builds CSR favourites from a user -> movies record. */
export function favouritesCsr(byUser: Record<number, number[]>): UserFavourites {
  const users = Object.keys(byUser)
    .map(Number)
    .sort((a, b) => a - b);
  const movies = [...new Set(Object.values(byUser).flat())].sort((a, b) => a - b);
  const rowPtr = new Int32Array(users.length + 1);
  const colIdx: number[] = [];
  users.forEach((u, i) => {
    for (const m of [...byUser[u]!].sort((a, b) => a - b)) colIdx.push(movies.indexOf(m));
    rowPtr[i + 1] = colIdx.length;
  });
  return {
    rowIds: Int32Array.from(users),
    rowPtr,
    colIdx: Int32Array.from(colIdx),
    colIds: Int32Array.from(movies),
  };
}

/** Per-cluster counts from assignments; sorted by count desc then movieId asc, as TrainedModel requires. */
function countsOf(
  users: number[],
  byUser: Record<number, number[]>,
): { movieIds: Int32Array; counts: Int32Array } {
  const counts = new Map<number, number>();
  for (const u of users) for (const m of byUser[u] ?? []) counts.set(m, (counts.get(m) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return {
    movieIds: Int32Array.from(sorted.map((e) => e[0])),
    counts: Int32Array.from(sorted.map((e) => e[1])),
  };
}

/** A TrainedModel from explicit assignments (user -> cluster) and favourites. */
export function modelFrom(assign: Record<number, number>, byUser: Record<number, number[]>): TrainedModel {
  const userIds = Object.keys(assign)
    .map(Number)
    .sort((a, b) => a - b);
  const k = Math.max(...Object.values(assign)) + 1;
  const clusters = Array.from({ length: k }, (_, c) => {
    const members = userIds.filter((u) => assign[u] === c);
    return { clusterId: c, size: members.length, ...countsOf(members, byUser) };
  });
  const global = countsOf(userIds, byUser);
  return {
    params: {
      k,
      seed: 7,
      geometry: "cosine",
      favouriteThreshold: 4,
      minClusterSize: 1,
      restarts: 1,
      maxIterations: 10,
    },
    kSelection: {
      rule: "fixed",
      chosenK: k,
      candidates: [{ k, wcss: 1.5, silhouette: null }],
      confidence: "none",
      explanation: `k = ${k} was given in config.`,
    },
    inertia: 1.5,
    iterations: 3,
    stats: { ratingRows: 15, badRows: 0, users: userIds.length, movies: 7, favourites: 11 },
    userIds: Int32Array.from(userIds),
    clusterOf: Int32Array.from(userIds.map((u) => assign[u]!)),
    clusters,
    global: { users: userIds.length, ...global },
    membershipWidth: 1,
    membershipClusters: Int32Array.from(userIds.map((u) => assign[u]!)),
    membershipWeights: Float32Array.from(userIds.map(() => 1)),
    movieRatings: {
      movieIds: Int32Array.from([10, 11, 12, 13, 14, 15, 16]),
      counts: Int32Array.from([4, 2, 3, 1, 2, 2, 1]),
      means: Float32Array.from([4.5, 4, 4, 5, 3.5, 4.5, 2]),
    },
  };
}

/** The tiny model as a version input. */
export function tinyVersion(
  version: string,
  trainedAtMs = Date.UTC(2026, 10, 21, 6, 0, 0),
): ModelVersionInput {
  return {
    version,
    trainedAtMs,
    model: modelFrom({ 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, TINY_FAVOURITES),
    favourites: favouritesCsr(TINY_FAVOURITES),
    movies: TINY_MOVIES,
    source: { bucket: "ratings", key: "ratings.csv", versionId: null },
  };
}

export const TINY_WRITE_OPTIONS = {
  clusterTopN: 2_000,
  popularMinVotes: 2,
  popularListSize: 500,
  concurrency: 4,
};
