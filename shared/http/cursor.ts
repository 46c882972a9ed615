import * as z from "zod/mini";
import { ValidationError } from "../domain/errors.js";

/** Opaque paging cursors: an offset into one model version's result list (base64url JSON). */

const schema = z.object({ v: z.string(), o: z.number().check(z.refine(Number.isInteger), z.nonnegative()) });

/** Encodes where the next page starts. */
export function encodeOffsetCursor(version: string, offset: number): string {
  return Buffer.from(JSON.stringify({ v: version, o: offset })).toString("base64url");
}

/**
 * The offset a cursor names; ValidationError("cursor") for one this API did not return, or one from another
 * model version (its list may differ: start again without a cursor).
 */
export function decodeOffsetCursor(cursor: string | undefined, version: string): number {
  if (cursor === undefined) return 0;
  const parsed = z.safeParse(schema, parseJson(Buffer.from(cursor, "base64url").toString("utf8")));
  if (!parsed.success) throw new ValidationError("cursor", "cursor is not one this API returned");
  if (parsed.data.v !== version) {
    throw new ValidationError("cursor", "cursor belongs to an older model version; start again without it");
  }
  return parsed.data.o;
}

/** JSON.parse that answers undefined for text that is not JSON (the schema then rejects it). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
