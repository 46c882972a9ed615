/**
 * Parsed rating rows as parallel typed arrays: the hand-off from the ratings parser to training and to the
 * evaluation split. At 25M rows this is ~425 MB instead of gigabytes of row objects.
 */

/** Rating rows after parsing and de-duplication: for a repeated (user, movie) the last row in the file wins. */
export interface RatingsTable {
  readonly length: number;
  readonly userIds: Int32Array;
  readonly movieIds: Int32Array;
  /** The rating, 0.5..5; NaN in the two-column favourites format, which has none. */
  readonly ratings: Float32Array;
  /** Unix seconds; 0 when the file has no timestamp column. */
  readonly timestamps: Uint32Array;
  /** 1 when the row is a favourite (rating >= threshold, or every row of the favourites format). */
  readonly favourite: Uint8Array;
}

/** One malformed row, reported with its 1-based line number in the file. */
export interface BadRow {
  readonly line: number;
  readonly message: string;
}

/** What parsing found, besides the rows themselves. */
export interface ParseReport {
  readonly format: "ratings" | "favourites";
  /** Data lines read (blank lines not counted). */
  readonly rowsRead: number;
  readonly badRows: number;
  /** The first few bad rows, in file order. */
  readonly firstBadRows: readonly BadRow[];
  /** Rows dropped because a later row had the same (user, movie). */
  readonly duplicates: number;
}

/** A movie's catalogue entry from movies.csv. */
export interface Movie {
  readonly movieId: number;
  readonly title: string;
  readonly genres: readonly string[];
}
