import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRoute, type RunningHttpApi, startHttpApi } from "../../../local/http-server.js";

const seen: { event: APIGatewayProxyEventV2; context: Context }[] = [];

function echo(statusCode = 200) {
  return async (event: APIGatewayProxyEventV2, context: Context) => {
    seen.push({ event, context });
    return {
      statusCode,
      headers: { "content-type": "application/json", "x-route": event.routeKey },
      body: JSON.stringify({
        path: event.pathParameters ?? null,
        query: event.queryStringParameters ?? null,
      }),
    };
  };
}

const routes: LocalRoute[] = [
  { method: "GET", path: "/users/{userId}/favourites", handler: echo(), functionName: "list-favourites" },
  { method: "POST", path: "/users/{userId}/favourites", handler: echo(201) },
  {
    method: "DELETE",
    path: "/users/{userId}/favourites/{movieId}",
    handler: async () => ({ statusCode: 204 }),
  },
  { method: "GET", path: "/plain", handler: async () => ({ hello: "world" }) },
  {
    method: "GET",
    path: "/cookies",
    handler: async () => ({
      statusCode: 200,
      cookies: ["a=1; Path=/", "b=2"],
      body: Buffer.from("binary\u0000ok").toString("base64"),
      isBase64Encoded: true,
      headers: { "content-type": "application/octet-stream", "x-count": 3 },
    }),
  },
  {
    method: "GET",
    path: "/boom",
    handler: async () => {
      throw new Error("secret stack detail");
    },
  },
];

let api: RunningHttpApi;
const errors: string[] = [];

beforeAll(async () => {
  api = await startHttpApi(routes, {
    maxBodyBytes: 64,
    onError: (error, routeKey) => errors.push(`${routeKey}: ${(error as Error).message}`),
  });
});

afterAll(async () => {
  await api.close();
});

function last() {
  return seen[seen.length - 1]!;
}

describe("local HTTP API adapter", () => {
  it("passes decoded path parameters, query string and lower-cased headers as a payload 2.0 event", async () => {
    const response = await fetch(`${api.url}/users/42/favourites?limit=5&genre=Sci%2DFi&tag=a&tag=b`, {
      headers: { "X-Custom": "yes", cookie: "session=abc; theme=dark" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-route")).toBe("GET /users/{userId}/favourites");
    expect(await response.json()).toEqual({
      path: { userId: "42" },
      query: { limit: "5", genre: "Sci-Fi", tag: "a,b" },
    });
    const { event, context } = last();
    expect(event.version).toBe("2.0");
    expect(event.rawPath).toBe("/users/42/favourites");
    expect(event.rawQueryString).toBe("limit=5&genre=Sci%2DFi&tag=a&tag=b");
    expect(event.headers["x-custom"]).toBe("yes");
    expect(event.cookies).toEqual(["session=abc", "theme=dark"]);
    expect(event.requestContext.http.method).toBe("GET");
    expect(event.requestContext.routeKey).toBe("GET /users/{userId}/favourites");
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(context.functionName).toBe("list-favourites");
    expect(context.awsRequestId).toBe(event.requestContext.requestId);
  });

  it("passes a JSON body as text and a binary body base64-encoded", async () => {
    const json = await fetch(`${api.url}/users/7/favourites`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"movieId":123}',
    });
    expect(json.status).toBe(201);
    expect(last().event.body).toBe('{"movieId":123}');
    expect(last().event.isBase64Encoded).toBe(false);

    const bytes = new Uint8Array([0, 255, 1, 254]);
    await fetch(`${api.url}/users/7/favourites`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(last().event.isBase64Encoded).toBe(true);
    expect(last().event.body).toBe("AP8B/g==");
  });

  it("decodes percent-encoded path segments", async () => {
    await fetch(`${api.url}/users/a%20b/favourites`);
    expect(last().event.pathParameters).toEqual({ userId: "a b" });
  });

  it("maps a structured result: status, headers, cookies and a base64 body", async () => {
    const response = await fetch(`${api.url}/cookies`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("x-count")).toBe("3");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2"]);
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe("binary\u0000ok");
  });

  it("answers 204 with an empty body", async () => {
    const response = await fetch(`${api.url}/users/1/favourites/2`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("serialises a result without statusCode as a 200 JSON body, as API Gateway does", async () => {
    const response = await fetch(`${api.url}/plain`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ hello: "world" });
  });

  it("answers 404 for an unknown path and 405 with Allow for a known path with another method", async () => {
    const missing = await fetch(`${api.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "NotFound", message: "No route for GET /nowhere" });

    const wrong = await fetch(`${api.url}/users/1/favourites`, { method: "PUT" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
    expect(((await wrong.json()) as { error: string }).error).toBe("MethodNotAllowed");
  });

  it("rejects a body over the limit with 413 before calling the handler", async () => {
    const before = seen.length;
    const response = await fetch(`${api.url}/users/7/favourites`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ movieId: 1, padding: "x".repeat(100) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe("PayloadTooLarge");
    expect(seen.length).toBe(before);
  });

  it("turns a handler exception into a generic 500 without leaking its message", async () => {
    const response = await fetch(`${api.url}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "InternalServerError", message: "Internal Server Error" });
    expect(text).not.toContain("secret");
    expect(errors).toContain("GET /boom: secret stack detail");
  });
});

/** Sends `target` as it is: fetch() and new URL() would resolve "..", "%2e%2e" and "//" first. */
function rawGet(target: string): Promise<{ status: number; body: { error: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.url}/`, { path: target, method: "GET" }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("local HTTP API adapter, hostile input (issue 10, section 4)", () => {
  it("answers a malformed percent-escape in any segment with 400, never a URIError 500", async () => {
    const before = seen.length;
    for (const target of [
      "/users/%E0%A4%A/favourites",
      "/users/%/favourites",
      "/users/%ZZ/favourites",
      "/users/%FF/favourites",
    ]) {
      const { status, body } = await rawGet(target);
      expect(status, target).toBe(400);
      expect(body.error).toBe("BadRequest");
      expect(body.message).toMatch(/segment 2 has a malformed percent-escape/);
    }
    expect(seen.length).toBe(before);
    expect(errors.filter((line) => /URIError/.test(line))).toEqual([]);
  });

  it("does not resolve dot or empty segments into another route: 404", async () => {
    const before = seen.length;
    for (const target of [
      "/users/../plain",
      "/users/%2e%2e/plain",
      "/users/%2E%2E/plain",
      "//users/1/favourites",
    ]) {
      const { status, body } = await rawGet(target);
      expect(status, target).toBe(404);
      expect(body.error).toBe("NotFound");
    }
    expect(seen.length).toBe(before);
  });

  it("an aborted upload is dropped quietly: no handler call, nothing logged", async () => {
    const before = { seen: seen.length, errors: errors.length };
    const socket = connect(api.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(
      'POST /users/7/favourites HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{"movie',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await closed;
    // The server sees the close on its next turn; a request it still handles would be on the list below.
    const after = await fetch(`${api.url}/plain`);
    expect(after.status).toBe(200);
    expect(seen.length).toBe(before.seen);
    expect(errors.slice(before.errors)).toEqual([]);
  });
});
