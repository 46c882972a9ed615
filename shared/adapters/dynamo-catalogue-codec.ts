import { gunzipSync, gzipSync } from "node:zlib";
import * as z from "zod/mini";
import type { CatalogueMovie } from "../domain/catalogue/catalogue.js";
import { StoreError } from "../domain/errors.js";

/**
 * How a version's catalogue is stored: chunks of CATALOGUE_CHUNK movies, each one item holding the gzipped
 * JSON of its rows (tuples, not objects: half the bytes). 10k movies (ml-latest-small) are 5 items of about
 * 40 KB; 62k (ml-25m) about 31 items, ~2 MB in all, far below the 400 KB item limit each.
 */

type Row = [
  number,
  string,
  number | null,
  string[],
  number,
  number | null,
  number,
  string | null,
  number | null,
];

const rowSchema = z.tuple([
  z.number(),
  z.string(),
  z.nullable(z.number()),
  z.array(z.string()),
  z.number(),
  z.nullable(z.number()),
  z.number(),
  z.nullable(z.string()),
  z.nullable(z.number()),
]);
const chunkSchema = z.array(rowSchema);

/** Packs one chunk of catalogue movies. */
export function packCatalogueChunk(movies: readonly CatalogueMovie[]): Uint8Array {
  const rows: Row[] = movies.map((m) => [
    m.movieId,
    m.title,
    m.year,
    [...m.genres],
    m.ratingCount,
    m.ratingMean,
    m.favouriteCount,
    m.imdbId,
    m.tmdbId,
  ]);
  return gzipSync(JSON.stringify(rows));
}

/** Unpacks what packCatalogueChunk wrote; StoreError when it is not such a chunk. */
export function unpackCatalogueChunk(bytes: Uint8Array): CatalogueMovie[] {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(bytes).toString("utf8"));
  } catch (error) {
    throw new StoreError("catalogue chunk is not gzipped JSON", { cause: error });
  }
  const parsed = z.safeParse(chunkSchema, json);
  if (!parsed.success) throw new StoreError("catalogue chunk is malformed", { cause: parsed.error });
  return parsed.data.map(
    ([movieId, title, year, genres, ratingCount, ratingMean, favouriteCount, imdbId, tmdbId]) => ({
      movieId,
      title,
      year,
      genres,
      ratingCount,
      ratingMean,
      favouriteCount,
      imdbId,
      tmdbId,
    }),
  );
}
