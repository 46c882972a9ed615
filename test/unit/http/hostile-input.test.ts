import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  NotFoundError,
  StoreUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../../shared/domain/errors.js";
import { apiHandler } from "../../../shared/http/api-handler.js";
import { toErrorResponse } from "../../../shared/http/error-response.js";
import { checkRawPath, repeatedQueryNames } from "../../../shared/http/raw-request.js";
import {
  limitParam,
  parseJsonBody,
  parseQuery,
  positiveIdNumber,
} from "../../../shared/http/request-schemas.js";
import { apiEvent, bodyOf } from "../../helpers/api-event.js";

/** What API Gateway passes through untouched (issue 10, section 4), checked in the Lambda handlers. */
describe("raw paths", () => {
  it("a malformed percent-escape in any segment is a 400 naming the segment", () => {
    for (const path of ["/users/%E0%A4%A/recommendations", "/users/%/model", "/%ZZ/1", "/users/1/%FF"]) {
      expect(() => checkRawPath(path), path).toThrow(ValidationError);
    }
    expect(() => checkRawPath("/users/%E0%A4%A/recommendations")).toThrow(/segment 2 has a malformed/);
  });

  it("dot segments, raw or encoded, and empty segments are 404: they only name a route once normalised", () => {
    for (const path of [
      "/users/../model",
      "/users/%2e%2e/model",
      "/users/%2E/model",
      "//users/1/favourites",
    ]) {
      expect(() => checkRawPath(path), path).toThrow(NotFoundError);
    }
  });

  it("ordinary paths decode", () => {
    expect(checkRawPath("/users/42/favourites")).toEqual(["users", "42", "favourites"]);
    expect(checkRawPath("/movies/%C3%A9t%C3%A9")).toEqual(["movies", "été"]);
    expect(checkRawPath("/")).toEqual([""]);
  });

  it("the handler wrapper answers these before the route's logic runs", async () => {
    let called = 0;
    const handler = apiHandler(async () => {
      called++;
      return { statusCode: 200, body: {} };
    });
    const bad = await handler({ ...apiEvent({}), rawPath: "/users/%E0%A4%A/recommendations" });
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad)).toMatchObject({ error: "BadRequest", field: "path" });
    const dots = await handler({ ...apiEvent({}), rawPath: "/users/%2e%2e/model" });
    expect(dots.statusCode).toBe(404);
    expect(called).toBe(0);
    expect((await handler(apiEvent({}))).statusCode).toBe(200);
  });
});

describe("query strings", () => {
  const query = z.object({ limit: limitParam });
  it("a repeated parameter is named as repeated", () => {
    expect(repeatedQueryNames("limit=5&limit=5&a=1&a=2&b=3")).toEqual(["limit", "a"]);
    const event = { ...apiEvent({ query: { limit: "5,5" } }), rawQueryString: "limit=5&limit=5" };
    expect(() => parseQuery(event, query)).toThrow("limit is given more than once; give it once");
    expect(parseQuery({ ...apiEvent({ query: { limit: "5" } }) }, query)).toEqual({ limit: 5 });
  });
});

describe("JSON bodies", () => {
  const body = z.object({ movieId: positiveIdNumber });
  const withType = (contentType: string | undefined, text: string) => {
    const event = apiEvent({ body: text });
    return { ...event, headers: contentType === undefined ? {} : { "content-type": contentType } };
  };

  it("a body that is not declared application/json is a 415", () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      undefined,
    ]) {
      expect(() => parseJsonBody(withType(type, '{"movieId":7}'), body), String(type)).toThrow(
        UnsupportedMediaTypeError,
      );
    }
    expect(toErrorResponse(new UnsupportedMediaTypeError("x")).statusCode).toBe(415);
    expect(parseJsonBody(withType("application/json; charset=utf-8", '{"movieId":7}'), body)).toEqual({
      movieId: 7,
    });
    expect(parseJsonBody(withType("Application/JSON", '{"movieId":7}'), body)).toEqual({ movieId: 7 });
  });

  it("schema failures are plain messages naming the field, never zod's own text", () => {
    const message = (text: string) => {
      try {
        parseJsonBody(withType("application/json", text), body);
      } catch (error) {
        return { field: (error as ValidationError).field, message: (error as Error).message };
      }
      throw new Error("accepted");
    };
    expect(message("[1,2]")).toEqual({ field: "body", message: "body must be a JSON object (got an array)" });
    expect(message('"x"')).toEqual({ field: "body", message: "body must be a JSON object (got string)" });
    expect(message("null")).toEqual({ field: "body", message: "body must be a JSON object (got null)" });
    expect(message("{}")).toEqual({ field: "movieId", message: "movieId is required" });
    expect(message('{"movieId":"7"}')).toEqual({ field: "movieId", message: "movieId must be a number" });
    for (const text of ["[1,2]", '"x"', "{}", '{"movieId":true}', '{"movieId":-1}']) {
      expect(message(text).message).not.toMatch(/Invalid|expected|received/);
    }
  });
});

describe("a stalled or dead store", () => {
  it("answers 503 ServiceUnavailable with Retry-After through the wrapper", async () => {
    expect(toErrorResponse(new StoreUnavailableError("x", 1))).toMatchObject({
      statusCode: 503,
      headers: { "retry-after": "1" },
    });
    const result = await apiHandler(
      async () => {
        throw new StoreUnavailableError("stalled", 2);
      },
      () => undefined,
    )(apiEvent({}));
    expect(result.statusCode).toBe(503);
    expect(result.headers).toMatchObject({ "retry-after": "2" });
    expect(bodyOf(result)).toEqual({
      error: "ServiceUnavailable",
      message: "Storage did not answer in time; retry shortly",
    });
  });
});
