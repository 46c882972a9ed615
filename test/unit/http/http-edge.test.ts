import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  StoreError,
  ThrottledError,
  ValidationError,
} from "../../../shared/domain/errors.js";
import { apiHandler } from "../../../shared/http/api-handler.js";
import { toErrorResponse } from "../../../shared/http/error-response.js";
import {
  limitParam,
  offsetParam,
  parseJsonBody,
  parsePath,
  parseQuery,
  positiveId,
  positiveIdNumber,
} from "../../../shared/http/request-schemas.js";
import { apiEvent, bodyOf } from "../../helpers/api-event.js";

describe("the one error mapping", () => {
  it("maps each typed error to its status by instanceof", () => {
    expect(toErrorResponse(new ValidationError("limit", "limit must be 1..100"))).toEqual({
      statusCode: 400,
      body: { error: "BadRequest", message: "limit must be 1..100", field: "limit" },
    });
    expect(toErrorResponse(new NotFoundError("movie", "movie 9 is not in the catalogue")).statusCode).toBe(
      404,
    );
    expect(toErrorResponse(new ConflictError("held")).statusCode).toBe(409);
    expect(toErrorResponse(new PayloadTooLargeError("big")).statusCode).toBe(413);
    expect(toErrorResponse(new ThrottledError("slow")).statusCode).toBe(429);
  });

  it("never lets an internal message or stack out", () => {
    const response = toErrorResponse(new StoreError("table arn:aws:dynamodb:secret exploded"));
    expect(response).toEqual({
      statusCode: 500,
      body: { error: "InternalServerError", message: "Internal Server Error" },
    });
    expect(toErrorResponse(new TypeError("x is undefined")).statusCode).toBe(500);
    expect(toErrorResponse("a string").statusCode).toBe(500);
  });
});

describe("request parsing", () => {
  const path = z.object({ userId: positiveId });
  it("accepts positive Int32 ids only, naming the field", () => {
    expect(parsePath(apiEvent({ pathParameters: { userId: "42" } }), path)).toEqual({ userId: 42 });
    for (const bad of ["0", "-1", "1.5", "abc", "01", "2147483648", ""]) {
      expect(() => parsePath(apiEvent({ pathParameters: { userId: bad } }), path)).toThrow(ValidationError);
    }
    try {
      parsePath(apiEvent({ pathParameters: {} }), path);
    } catch (error) {
      expect((error as ValidationError).field).toBe("userId");
    }
  });

  it("limit is 1..100 (default 10), offset >= 0 (default 0)", () => {
    const query = z.object({ limit: limitParam, offset: offsetParam });
    expect(parseQuery(apiEvent({}), query)).toEqual({ limit: 10, offset: 0 });
    expect(parseQuery(apiEvent({ query: { limit: "100", offset: "20" } }), query)).toEqual({
      limit: 100,
      offset: 20,
    });
    for (const limit of ["0", "101", "ten", "-5"]) {
      expect(() => parseQuery(apiEvent({ query: { limit } }), query)).toThrow(/limit/);
    }
    expect(() => parseQuery(apiEvent({ query: { offset: "-1" } }), query)).toThrow(/offset/);
  });

  it("bodies: at most 1 KB (413), valid JSON, fields named", () => {
    const body = z.object({ movieId: positiveIdNumber });
    expect(parseJsonBody(apiEvent({ body: '{"movieId": 7}' }), body)).toEqual({ movieId: 7 });
    expect(() => parseJsonBody(apiEvent({ body: "x".repeat(1025) }), body)).toThrow(PayloadTooLargeError);
    expect(() => parseJsonBody(apiEvent({ body: "{" }), body)).toThrow("body is not valid JSON");
    expect(() => parseJsonBody(apiEvent({}), body)).toThrow(ValidationError);
    try {
      parseJsonBody(apiEvent({ body: '{"movieId": 1.5}' }), body);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).field).toBe("movieId");
    }
  });
});

describe("the handler wrapper", () => {
  it("serialises results, 204 without a body, and errors through the mapping", async () => {
    expect(await apiHandler(async () => ({ statusCode: 204 }))(apiEvent({}))).toEqual({ statusCode: 204 });
    const ok = await apiHandler(async () => ({ statusCode: 200, body: { a: 1 } }))(apiEvent({}));
    expect(ok.headers).toEqual({ "content-type": "application/json; charset=utf-8" });
    expect(bodyOf(ok)).toEqual({ a: 1 });
    const logged: unknown[] = [];
    const failing = apiHandler(
      async () => {
        throw new NotFoundError("cluster", "cluster 9 does not exist");
      },
      (error) => logged.push(error),
    );
    const result = await failing(apiEvent({}));
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result)).toEqual({ error: "NotFound", message: "cluster 9 does not exist" });
    expect(logged).toEqual([]);
  });
});
