import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createHandler } from "../../../functions/get-openapi/create-handler.js";
import { ROUTES } from "../../../shared/constants.js";
import { openApiDocument } from "../../../shared/http/openapi.js";
import { apiEvent, bodyOf } from "../../helpers/api-event.js";

describe("the OpenAPI document", () => {
  const document = openApiDocument();

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(
      structuredClone(document) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("has exactly the routes of ROUTES", () => {
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      ["get", "post", "delete", "put", "patch"]
        .filter((method) => (item as Record<string, unknown>)[method] !== undefined)
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("describes parameters as they arrive, with their patterns, and every error as { error, message }", () => {
    const get = document.paths!["/users/{userId}/recommendations"]!.get!;
    expect(get.parameters).toContainEqual({
      in: "path",
      name: "userId",
      required: true,
      schema: { type: "string", pattern: "^[1-9]\\d{0,9}$" },
    });
    expect(Object.keys(get.responses!).sort()).toEqual(["200", "400", "404", "429", "500"]);
    const post = document.paths!["/users/{userId}/favourites"]!.post!;
    expect(post.requestBody).toMatchObject({ required: true });
    expect(Object.keys(post.responses!)).toContain("413");
  });

  it("is served by GET /openapi.json", async () => {
    const result = await createHandler()(apiEvent({}));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
