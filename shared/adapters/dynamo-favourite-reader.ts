/** A user's favourites list (read side): pages by movieId behind an opaque cursor. */
import * as z from "zod/mini";
import { ValidationError } from "../domain/errors.js";
import type { FavouritePage } from "../domain/ports.js";
import type { TableRef } from "./dynamo-client.js";
import { readMovies } from "./dynamo-movie-reader.js";
import { effectiveFavourites, readUserState } from "./dynamo-user-state.js";

const cursorSchema = z.object({ after: z.number().check(z.refine(Number.isInteger), z.nonnegative()) });

/** Encodes a favourites cursor (opaque to clients). */
function encodeCursor(after: number): string {
  return Buffer.from(JSON.stringify({ after })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = z.safeParse(cursorSchema, JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data.after;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError("cursor", "cursor is not one this API returned");
}

/** A page of a user's favourites (trained in the active version, plus recorded, minus removed), by movieId. */
export async function readFavouritePage(
  table: TableRef,
  userId: number,
  page: { limit: number; cursor: string | null },
): Promise<FavouritePage> {
  const after = page.cursor === null ? 0 : decodeCursor(page.cursor);
  const state = await readUserState(table, userId);
  const all = [...effectiveFavourites(state, state.pointer.active?.version ?? null)]
    .filter((id) => id > after)
    .sort((a, b) => a - b);
  const ids = all.slice(0, page.limit);
  const movies = await readMovies(table, ids);
  return {
    items: ids.map((id) => movies.get(id) ?? { movieId: id, title: "", genres: [] }),
    nextCursor: all.length > page.limit ? encodeCursor(ids[ids.length - 1]!) : null,
  };
}
