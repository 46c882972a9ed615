import { describe, expect, it } from "vitest";
import { N, packInt32, readN, readPacked, S, unpackInt32 } from "../../../shared/adapters/dynamo-codec.js";
import {
  favouriteSk,
  favouriteUserPrefix,
  movieIdOfSk,
  movieSk,
} from "../../../shared/adapters/dynamo-keys.js";
import { StoreError } from "../../../shared/domain/errors.js";

describe("DynamoDB codec and keys", () => {
  it("packs favourites as little-endian Int32 and back", () => {
    const bytes = packInt32([1, 258, 2_147_483_647]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([1, 0, 0, 0, 2, 1, 0, 0]);
    expect(Array.from(unpackInt32(bytes))).toEqual([1, 258, 2_147_483_647]);
    expect(() => unpackInt32(new Uint8Array(3))).toThrow(StoreError);
    expect(Array.from(readPacked({ favs: { B: bytes } }, "favs"))).toEqual([1, 258, 2_147_483_647]);
  });

  it("parses items read back, naming a mistyped attribute", () => {
    expect(readN({ n: N(3) }, "n")).toBe(3);
    expect(() => readN({ pk: S("USER#1"), sk: S("MODEL#v1"), n: S("x") }, "n")).toThrow(
      "item USER#1/MODEL#v1: attribute n is not a number",
    );
  });

  it("pads ids in sort keys so a user's prefix is exact and ordered", () => {
    expect(movieSk(42)).toBe("M#0000000042");
    expect(movieIdOfSk(movieSk(42))).toBe(42);
    expect(favouriteSk(12, 7).startsWith(favouriteUserPrefix(12))).toBe(true);
    expect(favouriteSk(123, 7).startsWith(favouriteUserPrefix(12))).toBe(false);
  });
});
