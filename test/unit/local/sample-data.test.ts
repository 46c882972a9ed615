import { describe, expect, it } from "vitest";
import { firstUserId } from "../../../local/sample-data.js";

describe("firstUserId (example user for npm start's curl commands)", () => {
  it("finds the userId column by name, after a BOM and CRLF header", () => {
    expect(firstUserId("\uFEFFmovieId,rating,userId\r\n10,4.0,77\r\n11,3.0,78\r\n")).toBe(77);
  });

  it("skips a malformed first row and ignores a last line that may be cut off", () => {
    expect(firstUserId("userId,movieId\nx,1\n5,2\n61")).toBe(5);
    expect(firstUserId("userId,movieId\n61")).toBeNull();
  });

  it("returns null without a userId column", () => {
    expect(firstUserId("user,movie\n1,2\n")).toBeNull();
  });
});
