import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLocalUserPool, ensureUser, signIn } from "../../local/cognito-accounts.js";
import { createTableRef } from "../../shared/adapters/dynamo-client.js";
import { ACCOUNT_ID_BASE, ROUTES } from "../../shared/constants.js";
import { claimsOf, signedByEmulator, unsigned, withClaims } from "../helpers/forged-tokens.js";
import { type LocalSystem, moviesCsv, ratingsCsv, startLocalSystem } from "../helpers/local-system.js";

/**
 * Issue 11 through the local HTTP server, with real tokens from cognito-local: the owner gets 200/201/204;
 * someone else's data is 403; no token or a bad one is 401; and a refused request stores nothing (the whole
 * table is compared before and after).
 */

const RATINGS = ratingsCsv([
  [1, 1, 5],
  [1, 2, 5],
  [2, 1, 5],
  [2, 3, 5],
  [3, 4, 5],
  [3, 5, 5],
  [4, 4, 5],
  [4, 6, 5],
]);

let system: LocalSystem;
let owner: string;

/** Every item of the table, sorted: "nothing stored, no count moved" is this staying equal. */
async function snapshot(): Promise<string[]> {
  const { client, tableName } = createTableRef(system.config);
  const items: string[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Each personal route that names a user, as user 2's (path movieId 1). */
const USER_ROUTES = ROUTES.filter((route) => route.personal && route.path.includes("{userId}")).map(
  (route) => ({
    method: route.method,
    path: route.path.replace("{userId}", "2").replace("{movieId}", "1"),
    body: route.method === "POST" ? { movieId: 1 } : undefined,
  }),
);

beforeAll(async () => {
  system = await startLocalSystem("personal", { CINECLUSTER_K: "2", CINECLUSTER_MIN_CLUSTER_SIZE: "1" });
  await system.put(system.config.ratingsKey, RATINGS);
  await system.put(system.config.moviesKey, moviesCsv(6));
  await system.train();
  owner = await system.tokenFor(1);
  await system.tokenFor(2);
});

afterAll(async () => {
  await system.close();
});

describe("the owner of the data", () => {
  it("reads recommendations (200), records (201, then 200), lists and removes (204) a favourite", async () => {
    const recommendations = await system.request("GET", "/users/1/recommendations", undefined, bearer(owner));
    expect(recommendations.status).toBe(200);
    expect(recommendations.body.userId).toBe(1);
    const post = () => system.request("POST", "/users/1/favourites", { movieId: 6 }, bearer(owner));
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(200);
    const list = await system.request("GET", "/users/1/favourites", undefined, bearer(owner));
    expect(list.status).toBe(200);
    // Users 1's trained favourites (movies 1, 2) and the one just recorded.
    expect(list.body.items.map((item: { movieId: number }) => item.movieId)).toEqual([1, 2, 6]);
    expect((await system.request("DELETE", "/users/1/favourites/6", undefined, bearer(owner))).status).toBe(
      204,
    );
  });

  it("accepts the bare token too, as API Gateway does (no Bearer prefix)", async () => {
    const response = await system.request("GET", "/users/1/favourites", undefined, { authorization: owner });
    expect(response.status).toBe(200);
  });
});

describe("another user's data", () => {
  it.each(USER_ROUTES)("$method $path with user 1's token is 403, and nothing is stored", async (route) => {
    const before = await snapshot();
    const response = await system.request(route.method, route.path, route.body, bearer(owner));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: "Forbidden",
      message: "the userId in the path is not the signed-in user's",
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe("no token or a bad one", () => {
  const refused: [string, () => Promise<Record<string, string>>][] = [
    ["no token", async () => ({})],
    ["an empty Bearer", async () => ({ authorization: "Bearer " })],
    ["not a JWT", async () => bearer("not-a-token")],
    [
      "an expired token",
      async () => bearer(signedByEmulator({ ...claimsOf(owner), exp: 1_700_000_000, iat: 1_699_990_000 })),
    ],
    [
      "a tampered token (user 2's subject, user 1's signature)",
      async () =>
        bearer(withClaims(owner, { ...claimsOf(owner), sub: claimsOf(await system.tokenFor(2)).sub })),
    ],
    ["an alg: none token", async () => bearer(unsigned(claimsOf(owner)))],
    [
      "a token of another user pool (same emulator, same key)",
      async () => {
        const other = await createLocalUserPool(inject("cognitoEndpoint"), "personal-other");
        await ensureUser(other, "user-1@cinecluster.local", "Other-password-1");
        return bearer((await signIn(other, "user-1@cinecluster.local", "Other-password-1")).accessToken);
      },
    ],
    [
      "a token for another app client (audience)",
      async () => bearer(signedByEmulator({ ...claimsOf(owner), client_id: "someoneelse" })),
    ],
    [
      "an ID token (wrong token use)",
      async () => {
        const pool = system.userPool;
        await ensureUser(pool, "id-token@cinecluster.local", "Id-password-1");
        return bearer((await signIn(pool, "id-token@cinecluster.local", "Id-password-1")).idToken);
      },
    ],
  ];

  it.each(refused)(
    "%s is 401 on every route that names a user, and nothing is stored",
    async (_, headers) => {
      const sent = await headers();
      const before = await snapshot();
      for (const route of USER_ROUTES) {
        const own = { ...route, path: route.path.replace("/users/2", "/users/1") };
        const response = await system.request(own.method, own.path, own.body, sent);
        expect(response.status, `${own.method} ${own.path}`).toBe(401);
        expect(response.body.error).toBe("Unauthorized");
      }
      const me = await system.request("GET", "/me", undefined, sent);
      expect(me.status).toBe(401);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("every personal route of ROUTES needs a token; every public one answers without", async () => {
    for (const route of ROUTES) {
      const path = route.path.replace("{userId}", "1").replace("{movieId}", "1").replace("{clusterId}", "0");
      const response = await system.request(
        route.method,
        path,
        route.method === "POST" ? { movieId: 1 } : undefined,
      );
      if (route.personal) expect(response.status, path).toBe(401);
      else expect(response.status, path).not.toBe(401);
    }
  });
});

describe("GET /me", () => {
  it("gives a sample user their trained id, and a new sign-in a new id above the dataset's, once", async () => {
    expect(await system.requestAs(1, "GET", "/me")).toEqual({ status: 200, body: { userId: 1 } });
    const pool = system.userPool;
    const tokens: string[] = [];
    for (const name of ["new-a", "new-b"]) {
      await ensureUser(pool, `${name}@cinecluster.local`, "New-password-1");
      tokens.push((await signIn(pool, `${name}@cinecluster.local`, "New-password-1")).accessToken);
    }
    // Ten first requests at once for one new sign-in: one account, one id.
    const first = await Promise.all(
      Array.from({ length: 10 }, () => system.request("GET", "/me", undefined, bearer(tokens[0]!))),
    );
    const ids = new Set(first.map((response) => response.body.userId));
    expect(ids.size).toBe(1);
    const [a] = [...ids] as number[];
    expect(a).toBeGreaterThan(ACCOUNT_ID_BASE);
    const b = (await system.request("GET", "/me", undefined, bearer(tokens[1]!))).body.userId as number;
    expect(b).toBeGreaterThan(a!);
    expect((await system.request("GET", "/me", undefined, bearer(tokens[0]!))).body.userId).toBe(a);

    // The new account's own data is theirs: 201 for a favourite, and user 1's data stays 403.
    const post = await system.request("POST", `/users/${a}/favourites`, { movieId: 2 }, bearer(tokens[0]!));
    expect(post.status).toBe(201);
    expect((await system.request("GET", "/users/1/favourites", undefined, bearer(tokens[0]!))).status).toBe(
      403,
    );
  });

  it("a signed-in identity without an account is refused other users' data and stores nothing", async () => {
    const pool = system.userPool;
    await ensureUser(pool, "no-account@cinecluster.local", "No-account-1");
    const token = (await signIn(pool, "no-account@cinecluster.local", "No-account-1")).accessToken;
    const before = await snapshot();
    const response = await system.request("POST", "/users/3/favourites", { movieId: 1 }, bearer(token));
    expect(response.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
