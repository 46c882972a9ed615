import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrainResult } from "../../functions/train-model/create-handler.js";
import { type LocalSystem, moviesCsv, ratingsCsv, startLocalSystem } from "../helpers/local-system.js";

/**
 * Two taste groups anyone can check by hand. Group A (users 1-4) favourites movies 1-3, group B (users 5-8)
 * movies 4-6; a rating of 2.0 is not a favourite. k is fixed at 2 and no cluster is folded, so cluster A
 * counts movies 1, 2, 3 three times each, and so does cluster B for movies 4, 5, 6: 18 favourites in all.
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
const RATINGS = ratingsCsv([
  ...Object.entries(FILE_FAVOURITES).flatMap(([user, movies]) =>
    movies.map((movie) => [Number(user), movie, 5] as const),
  ),
  [1, 4, 2],
  [5, 1, 2],
  [3, 7, 3],
]);
const SETTINGS = { CINECLUSTER_K: "2", CINECLUSTER_MIN_CLUSTER_SIZE: "1" };

interface ClusterBody {
  size: number;
  topMovies: { movieId: number; likedBy: number }[];
}

async function clusterOf(system: LocalSystem, userId: number): Promise<number | null> {
  const { status, body } = await system.requestAs(userId, "GET", `/users/${userId}/recommendations?limit=1`);
  expect(status).toBe(200);
  return body.source === "popular" ? null : (body.clusterId as number);
}

async function likedBy(system: LocalSystem, clusterId: number): Promise<Map<number, number>> {
  const { status, body } = await system.request("GET", `/clusters/${clusterId}?limit=100`);
  expect(status).toBe(200);
  return new Map((body as ClusterBody).topMovies.map((m) => [m.movieId, m.likedBy]));
}

async function favouritesOf(system: LocalSystem, userId: number): Promise<number[]> {
  const { status, body } = await system.requestAs(userId, "GET", `/users/${userId}/favourites?limit=100`);
  expect(status).toBe(200);
  return (body.items as { movieId: number }[]).map((m) => m.movieId).sort((a, b) => a - b);
}

/** Every count the active model shows must equal the members of that cluster holding that favourite. */
async function expectCountsMatch(system: LocalSystem, favourites: Map<number, Set<number>>): Promise<number> {
  const members = new Map<number, number[]>();
  for (const userId of favourites.keys()) {
    const cluster = await clusterOf(system, userId);
    if (cluster === null) continue;
    members.set(cluster, [...(members.get(cluster) ?? []), userId]);
  }
  let checked = 0;
  for (const [cluster, users] of members) {
    const expected = new Map<number, number>();
    for (const userId of users) {
      for (const movieId of favourites.get(userId)!) expected.set(movieId, (expected.get(movieId) ?? 0) + 1);
    }
    expect(await likedBy(system, cluster)).toEqual(expected);
    checked += users.length;
  }
  return checked;
}

describe("end to end: record favourites, read recommendations, retrain", () => {
  let system: LocalSystem;
  let first: TrainResult;
  let clusterA: number;

  beforeAll(async () => {
    system = await startLocalSystem("e2e", SETTINGS);
    await system.put(system.config.ratingsKey, RATINGS);
    await system.put(system.config.moviesKey, moviesCsv(8));
    first = (await system.train()) as TrainResult;
    clusterA = (await clusterOf(system, 1))!;
  });

  afterAll(async () => {
    await system.close();
  });

  it("trains the uploaded ratings and serves the model through every route", async () => {
    expect(first).toMatchObject({
      status: "trained",
      previousVersion: null,
      k: 2,
      clusters: 2,
      users: 8,
      favourites: 18,
      rowsRead: 21,
      badRows: 0,
      apiFavourites: { recorded: 0, removed: 0, caughtUp: 0 },
    });
    const health = await system.request("GET", "/health");
    expect(health).toEqual({ status: 200, body: { status: "ok", modelVersion: first.version } });
    expect(await clusterOf(system, 2)).toBe(clusterA);
    const clusterB = await clusterOf(system, 5);
    expect(clusterB).not.toBe(clusterA);
    expect(await likedBy(system, clusterA)).toEqual(
      new Map([
        [1, 3],
        [2, 3],
        [3, 3],
      ]),
    );
    expect(await likedBy(system, clusterB!)).toEqual(
      new Map([
        [4, 3],
        [5, 3],
        [6, 3],
      ]),
    );
  });

  it("recommends what the user's group loves, with its reason and title", async () => {
    const { body } = await system.requestAs(1, "GET", "/users/1/recommendations?limit=1");
    expect(body.source).toBe("cluster");
    expect(body.modelVersion).toBe(first.version);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      movieId: 3,
      title: "Movie 3, The (2000)",
      genres: ["Comedy"],
      // Training stored item neighbours: movie 3 is as close to favourite 1 as to 2; ties go to the smaller id,
      // and the reason names that favourite with the people who liked both.
      reason:
        "because you liked The Movie 1: 2 of the 3 people who liked it also liked this; liked by 3 of the 4 people in your taste group",
      similarTo: { movieId: 1, title: "Movie 1, The (2000)" },
    });
  });

  it("stores the k-selection report beside the version and GET /model points to it", async () => {
    const { status, body } = await system.request("GET", "/model");
    expect(status).toBe(200);
    expect(body.version).toBe(first.version);
    expect(body.report).toEqual({
      bucket: system.config.bucketName,
      jsonKey: `models/${first.version}/k-selection.json`,
      svgKey: `models/${first.version}/k-selection.svg`,
    });
    const read = async (key: string) => {
      const chunks: Buffer[] = [];
      for await (const chunk of (await system.objects.getStream(key)).body) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString("utf8");
    };
    expect(JSON.parse(await read(body.report.jsonKey))).toMatchObject({ rule: "fixed", chosenK: 2 });
    expect(await read(body.report.svgKey)).toMatch(/^<svg[\s>]/);
    expect(await system.objects.list("models/")).toEqual([body.report.jsonKey, body.report.svgKey]);
  });

  it("counts a recorded favourite at once and exactly once", async () => {
    expect((await system.requestAs(1, "POST", "/users/1/favourites", { movieId: 3 })).status).toBe(201);
    expect((await system.requestAs(1, "POST", "/users/1/favourites", { movieId: 3 })).status).toBe(200);
    expect((await likedBy(system, clusterA)).get(3)).toBe(4);
    const { body } = await system.requestAs(1, "GET", "/users/1/recommendations?limit=10");
    expect(body.items.map((m: { movieId: number }) => m.movieId)).not.toContain(3);
    expect(await favouritesOf(system, 1)).toEqual([1, 2, 3]);
  });

  it("keeps recorded favourites and removals through a retrain, though the file says otherwise", async () => {
    expect((await system.requestAs(2, "DELETE", "/users/2/favourites/1")).status).toBe(204);
    expect((await likedBy(system, clusterA)).get(1)).toBe(2);
    const second = (await system.train()) as TrainResult;
    expect(second).toMatchObject({
      status: "trained",
      previousVersion: first.version,
      users: 8,
      favourites: 18, // 18 in the file, +1 recorded (user 1, movie 3), -1 removed (user 2, movie 1)
      apiFavourites: { recorded: 1, removed: 1 },
      removedVersions: 0, // the first version is kept for rollback (3 are kept by default)
    });
    expect(second.version).not.toBe(first.version);
    expect(await favouritesOf(system, 1)).toEqual([1, 2, 3]);
    expect(await favouritesOf(system, 2)).toEqual([2, 3]);
    const cluster = (await clusterOf(system, 1))!;
    expect(await likedBy(system, cluster)).toEqual(
      new Map([
        [1, 2],
        [2, 3],
        [3, 4],
      ]),
    );
    // The superseded version is kept for rollback, and so are its report files.
    expect(await system.objects.list("models/")).toEqual(
      [first.report.jsonKey, first.report.svgKey, second.report.jsonKey, second.report.svgKey].sort(),
    );
  });

  it("loses no favourite recorded or removed while a retrain runs, and every count is right", async () => {
    const favourites = new Map<number, Set<number>>();
    for (const userId of [1, 2, 3, 4, 5, 6, 7, 8])
      favourites.set(userId, new Set(await favouritesOf(system, userId)));

    let trained = false;
    // The version write waits until two waves of favourites have arrived after the run's snapshot, so the
    // catch-up always has something to carry, however fast or slow the machine is.
    let writing = false;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store: typeof system.store = {
      ...system.store,
      writeModelVersion: async (input) => {
        writing = true;
        await released;
        return system.store.writeModelVersion(input);
      },
    };
    const training = system.train({ store }).finally(() => {
      trained = true;
    });
    const sent: Promise<void>[] = [];
    const changes: string[] = [];
    let wavesWhileWriting = 0;
    // Keep favourites arriving for as long as the run takes: new users (placed on the fly) and existing ones.
    for (let wave = 0; !trained || wave < 3; wave++) {
      const batch = [0, 1, 2, 3].map(async (slot) => {
        const i = wave * 4 + slot;
        const userId = i % 3 === 0 ? 5 + (i % 4) : 100 + i;
        const movieId = 1 + (i % 7);
        const set = favourites.get(userId) ?? new Set<number>();
        favourites.set(userId, set);
        const { status } = await system.requestAs(userId, "POST", `/users/${userId}/favourites`, { movieId });
        expect([200, 201]).toContain(status);
        if (!set.has(movieId)) changes.push(`+${userId}:${movieId}`);
        set.add(movieId);
      });
      sent.push(...batch);
      await Promise.all(batch);
      if (wave === 1) {
        expect((await system.requestAs(6, "DELETE", "/users/6/favourites/6")).status).toBe(204);
        favourites.get(6)!.delete(6);
        changes.push("-6:6");
      }
      if (writing && ++wavesWhileWriting === 2) release();
      if (wave > 200) throw new Error("training did not finish");
    }
    const result = (await training) as TrainResult;
    await Promise.all(sent);
    expect(result.status).toBe("trained");
    expect(changes.length).toBeGreaterThan(8);
    // Some favourites arrived after the run's snapshot: the catch-up (not the merge) had to carry them.
    expect(result.apiFavourites.caughtUp).toBeGreaterThan(0);

    const health = await system.request("GET", "/health");
    expect(health.body.modelVersion).toBe(result.version);
    for (const [userId, set] of favourites) {
      expect({ userId, favourites: await favouritesOf(system, userId) }).toEqual({
        userId,
        favourites: [...set].sort((a, b) => a - b),
      });
    }
    const checked = await expectCountsMatch(system, favourites);
    expect(checked).toBe(favourites.size);
  });
});
