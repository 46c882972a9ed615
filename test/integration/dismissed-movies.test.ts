import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrainResult } from "../../functions/train-model/create-handler.js";
import { type LocalSystem, moviesCsv, ratingsCsv, startLocalSystem } from "../helpers/local-system.js";

/**
 * Two taste groups (as in end-to-end.test.ts): users 1-4 favourite movies 1-3, users 5-8 movies 4-6. User 1
 * has favourites 1 and 2, so movie 3 is what their group recommends them first.
 */
const FILE_FAVOURITES: Record<number, number[]> = {
  1: [1, 2],
  2: [1, 2, 3],
  3: [1, 3],
  4: [2, 3],
  5: [4, 5],
  6: [4, 5, 6],
  7: [4, 6],
  8: [5, 6],
};
const RATINGS = ratingsCsv(
  Object.entries(FILE_FAVOURITES).flatMap(([user, movies]) =>
    movies.map((movie) => [Number(user), movie, 5] as const),
  ),
);
const SETTINGS = { CINECLUSTER_K: "2", CINECLUSTER_MIN_CLUSTER_SIZE: "1" };

describe("dismissed movies through the local HTTP server", () => {
  let system: LocalSystem;
  let clusterA: number;

  const recommended = async (userId: number): Promise<number[]> => {
    const { status, body } = await system.requestAs(
      userId,
      "GET",
      `/users/${userId}/recommendations?limit=50`,
    );
    expect(status).toBe(200);
    return (body.items as { movieId: number }[]).map((m) => m.movieId);
  };
  const favourites = async (userId: number): Promise<number[]> => {
    const { status, body } = await system.requestAs(userId, "GET", `/users/${userId}/favourites?limit=100`);
    expect(status).toBe(200);
    return (body.items as { movieId: number }[]).map((m) => m.movieId).sort((a, b) => a - b);
  };
  const likedBy = async (clusterId: number): Promise<Map<number, number>> => {
    const { status, body } = await system.request("GET", `/clusters/${clusterId}?limit=100`);
    expect(status).toBe(200);
    return new Map(
      (body.topMovies as { movieId: number; likedBy: number }[]).map((m) => [m.movieId, m.likedBy]),
    );
  };
  /** The movie page's live favourite count (training plus recorded since, minus removed). */
  const favouriteCount = async (movieId: number): Promise<number> => {
    const { status, body } = await system.request("GET", `/movies/${movieId}`);
    expect(status).toBe(200);
    return body.favouriteCount as number;
  };

  beforeAll(async () => {
    system = await startLocalSystem("dismissed", SETTINGS);
    await system.put(system.config.ratingsKey, RATINGS);
    await system.put(system.config.moviesKey, moviesCsv(8));
    expect(((await system.train()) as TrainResult).status).toBe("trained");
    const { body } = await system.requestAs(1, "GET", "/users/1/recommendations?limit=1");
    clusterA = body.clusterId as number;
  });

  afterAll(async () => {
    await system.close();
  });

  it("answers 400 naming the field for bad movie ids, 401/403 for a missing or other user, 404 unknown", async () => {
    for (const [method, path, body] of [
      ["POST", "/users/1/dismissed", { movieId: "3x" }],
      ["POST", "/users/1/dismissed", { movieId: 0 }],
      ["POST", "/users/1/dismissed", {}],
      ["DELETE", "/users/1/dismissed/abc", undefined],
      ["DELETE", "/users/1/dismissed/0", undefined],
    ] as const) {
      const answer = await system.requestAs(1, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.body.field, `${method} ${path}`).toBe("movieId");
    }
    // Personal routes: a {userId} must be the signed-in user's own, and a token is needed.
    expect((await system.requestAs(1, "POST", "/users/abc/dismissed", { movieId: 3 })).status).toBe(403);
    expect((await system.requestAs(1, "POST", "/users/2/dismissed", { movieId: 3 })).status).toBe(403);
    expect((await system.requestAs(1, "DELETE", "/users/2/dismissed/3")).status).toBe(403);
    expect((await system.request("POST", "/users/1/dismissed", { movieId: 3 })).status).toBe(401);
    const unknown = await system.requestAs(1, "POST", "/users/1/dismissed", { movieId: 999 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe("NotFound");
    expect((await system.requestAs(1, "DELETE", "/users/1/dismissed/3")).status).toBe(404);
  });

  it("leaves a dismissed movie out of the very next recommendations and similar movies; once", async () => {
    expect(await recommended(1)).toContain(3);
    expect(
      (await system.request("GET", "/movies/1/similar?userId=1")).body.items.map(
        (m: { movieId: number }) => m.movieId,
      ),
    ).toContain(3);
    const before = await likedBy(clusterA);
    const first = await system.requestAs(1, "POST", "/users/1/dismissed", { movieId: 3 });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ userId: 1, movieId: 3, created: true });
    const again = await system.requestAs(1, "POST", "/users/1/dismissed", { movieId: 3 });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(await recommended(1)).not.toContain(3);
    expect(
      (await system.request("GET", "/movies/1/similar?userId=1")).body.items.map(
        (m: { movieId: number }) => m.movieId,
      ),
    ).not.toContain(3);
    // Dismissing is not liking: no count moved, and it is not a favourite.
    expect(await likedBy(clusterA)).toEqual(before);
    expect(await favourites(1)).toEqual([1, 2]);
  });

  it("dismissing a favourite un-counts it once; it cannot be recorded as a favourite while dismissed", async () => {
    const before = await likedBy(clusterA);
    const global = await favouriteCount(2);
    expect((await system.requestAs(1, "POST", "/users/1/dismissed", { movieId: 2 })).status).toBe(201);
    expect((await system.requestAs(1, "POST", "/users/1/dismissed", { movieId: 2 })).status).toBe(200);
    expect(await favourites(1)).toEqual([1]);
    expect((await likedBy(clusterA)).get(2)).toBe(before.get(2)! - 1);
    expect(await favouriteCount(2)).toBe(global - 1);
    const record = await system.requestAs(1, "POST", "/users/1/favourites", { movieId: 2 });
    expect(record.status).toBe(409);
    expect(record.body.message).toMatch(/dismissed/);
    expect((await likedBy(clusterA)).get(2)).toBe(before.get(2)! - 1);
    expect(await favouriteCount(2)).toBe(global - 1);
    expect(await recommended(1)).not.toContain(2);
  });

  it("keeps dismissals through a retrain: still not recommended, still not a favourite, counts agree", async () => {
    const second = (await system.train()) as TrainResult;
    expect(second.status).toBe("trained");
    expect(await favourites(1)).toEqual([1]);
    const recs = await recommended(1);
    expect(recs).not.toContain(2);
    expect(recs).not.toContain(3);
    const { body } = await system.requestAs(1, "GET", "/users/1/recommendations?limit=1");
    // Group A's members and their favourites after the retrain: user 1 holds 1 only.
    const counts = await likedBy(body.clusterId as number);
    expect(counts.get(2)).toBe(2); // users 2 and 4
    expect(counts.get(3)).toBe(3); // users 2, 3, 4: user 1's dismissal is not a count
  });

  it("an undo lets the movie come back, and does not make it a favourite", async () => {
    expect((await system.requestAs(1, "DELETE", "/users/1/dismissed/3")).status).toBe(204);
    expect((await system.requestAs(1, "DELETE", "/users/1/dismissed/3")).status).toBe(404);
    expect(await recommended(1)).toContain(3);
    expect((await system.requestAs(1, "DELETE", "/users/1/dismissed/2")).status).toBe(204);
    expect(await favourites(1)).toEqual([1]);
    expect((await system.requestAs(1, "POST", "/users/1/favourites", { movieId: 2 })).status).toBe(201);
    expect(await favourites(1)).toEqual([1, 2]);
  });

  it("a user with no history gets the popular list without what they dismissed", async () => {
    const popular = await recommended(50);
    expect(popular.length).toBeGreaterThan(1);
    expect((await system.requestAs(50, "POST", "/users/50/dismissed", { movieId: popular[0] })).status).toBe(
      201,
    );
    const after = await recommended(50);
    expect(after).not.toContain(popular[0]);
    expect(after).toEqual(popular.slice(1));
  });
});
