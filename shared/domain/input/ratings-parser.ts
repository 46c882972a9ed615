/**
 * Incremental parser of ratings CSV bytes into a RatingsTable. Pure: it takes Uint8Array chunks in file
 * order (any split, even mid-line or mid-BOM) and never holds the file as one string. Rows are parsed
 * straight from the bytes into growable typed arrays; only bad rows and the header are decoded to text.
 *
 * Formats (columns found by header name, case-insensitive, any order, extra columns ignored):
 * - MovieLens: userId,movieId,rating[,timestamp]; a row is a favourite when rating >= favouriteThreshold.
 * - Favourites: userId,movieId (no rating column); every row is a favourite, rating NaN.
 * Fields are not quoted in ratings files.
 */
import { RatingsFormatError, ValidationError } from "../errors.js";
import { TRAINING_DEFAULTS } from "../settings.js";
import { crToLf, describeNonCsv, detectLineEnds, type LineEnds, printable } from "./file-sniff.js";
import type { BadRow, ParseReport, RatingsTable } from "./ratings.js";

/** Options of {@link createRatingsParser}; every field has a default. */
export interface RatingsParserOptions {
  /** A rating at or above this is a favourite. Default TRAINING_DEFAULTS.favouriteThreshold (4). */
  readonly favouriteThreshold?: number;
  /** Largest tolerated share of malformed data rows, 0..1; above it finish() throws. Default TRAINING_DEFAULTS.maxBadShare (0.01). */
  readonly maxBadShare?: number;
  /** How many bad rows the report lists (all are counted). Default 5. */
  readonly maxReportedBadRows?: number;
  /** Rows to allocate for up front (arrays grow by doubling). Default 65,536. */
  readonly initialCapacity?: number;
  /**
   * Size of the whole input in bytes, when known (a file's size, an S3 object's length). After the first
   * 64 KiB the parser then sizes its arrays for the expected rows (and re-estimates if they fill up) instead
   * of doubling, and returns views instead of copies: 25M rows peak at about 450 MB instead of 900 MB.
   */
  readonly expectedBytes?: number;
}

/** A ratings parser fed chunk by chunk. */
export interface RatingsParser {
  /** Parses every complete line in the chunk; a trailing partial line waits for the next chunk. */
  push(chunk: Uint8Array): void;
  /** Parses the last line, de-duplicates (last row wins), applies the bad-row policy; throws RatingsFormatError. */
  finish(): { table: RatingsTable; report: ParseReport };
  /** Data rows read so far (good and bad), for progress output. */
  readonly rowsRead: number;
}

const DEFAULT_MAX_REPORTED_BAD_ROWS = 5;

const NEWLINE = 10;
const CR = 13;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const SPACE = 32;
const TAB = 9;

const IGNORE = 0;
const USER = 1;
const MOVIE = 2;
const RATING = 3;
const TIMESTAMP = 4;

const MAX_ID = 2147483647;
const MAX_TIMESTAMP = 4294967295;
const MIN_RATING = 0.5;
const MAX_RATING = 5;
/** A line longer than this is not a ratings CSV line (for example a binary file without newlines). */
const MAX_LINE_BYTES = 1 << 20;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const COLUMN_ROLES: Readonly<Record<string, number>> = {
  userid: USER,
  movieid: MOVIE,
  rating: RATING,
  timestamp: TIMESTAMP,
};
const COLUMN_NAMES = ["", "userId", "movieId", "rating", "timestamp"] as const;

/** Makes an incremental ratings parser; see the module comment for the accepted formats. */
export function createRatingsParser(options: RatingsParserOptions = {}): RatingsParser {
  return new Parser(options);
}

/** Parses a whole ratings CSV held in memory (small files and tests); same rules as the incremental parser. */
export function parseRatings(
  csv: Uint8Array | string,
  options: RatingsParserOptions = {},
): { table: RatingsTable; report: ParseReport } {
  const parser = createRatingsParser(options);
  parser.push(typeof csv === "string" ? new TextEncoder().encode(csv) : csv);
  return parser.finish();
}

class Parser implements RatingsParser {
  private readonly threshold: number;
  private readonly maxBadShare: number;
  private readonly maxReported: number;

  private lineNumber = 0;
  private headerSeen = false;
  private roles: Uint8Array = new Uint8Array(0);
  private hasRating = false;
  private pending = new Uint8Array(256);
  private pendingLength = 0;

  private capacity: number;
  private readonly expectedBytes: number;
  private bytesSeen = 0;
  private lineEnds: LineEnds = "unknown";
  private sized = false;
  private length = 0;
  private userIds: Int32Array;
  private movieIds: Int32Array;
  private ratings: Float32Array;
  private timestamps: Uint32Array;
  private favourite: Uint8Array;

  private bad = 0;
  private readonly firstBad: BadRow[] = [];
  /** Rows so far are in strictly increasing (userId, movieId) order: then there can be no duplicates. */
  private ordered = true;
  /** User ids so far never decrease: rows are already grouped by user. */
  private usersGrouped = true;
  private lastUser = 0;
  private lastMovie = 0;

  constructor(options: RatingsParserOptions) {
    this.threshold = options.favouriteThreshold ?? TRAINING_DEFAULTS.favouriteThreshold;
    this.maxBadShare = options.maxBadShare ?? TRAINING_DEFAULTS.maxBadShare;
    this.maxReported = options.maxReportedBadRows ?? DEFAULT_MAX_REPORTED_BAD_ROWS;
    if (!Number.isFinite(this.threshold)) {
      throw new ValidationError(
        "favouriteThreshold",
        `favouriteThreshold must be a number; got ${this.threshold}`,
      );
    }
    if (!(this.maxBadShare >= 0 && this.maxBadShare <= 1)) {
      throw new ValidationError(
        "maxBadShare",
        `maxBadShare must be between 0 and 1; got ${this.maxBadShare}`,
      );
    }
    if (!(Number.isInteger(this.maxReported) && this.maxReported >= 0)) {
      throw new ValidationError(
        "maxReportedBadRows",
        `maxReportedBadRows must be a whole number >= 0; got ${this.maxReported}`,
      );
    }
    this.capacity = Math.max(16, Math.floor(options.initialCapacity ?? 65_536));
    this.expectedBytes = options.expectedBytes ?? 0;
    this.userIds = new Int32Array(this.capacity);
    this.movieIds = new Int32Array(this.capacity);
    this.ratings = new Float32Array(this.capacity);
    this.timestamps = new Uint32Array(this.capacity);
    this.favourite = new Uint8Array(this.capacity);
  }

  get rowsRead(): number {
    return this.length + this.bad;
  }

  push(input: Uint8Array): void {
    if (this.bytesSeen === 0 && input.length > 0) {
      const looksLike = describeNonCsv(input);
      if (looksLike)
        throw new RatingsFormatError(`the ratings file is not CSV text: it looks like ${looksLike}`);
    }
    if (this.lineEnds === "unknown") {
      this.lineEnds = detectLineEnds(input);
      // A CR that ended the previous chunk ended a line: the held line is complete.
      if (this.lineEnds === "cr" && this.pendingLength > 0 && this.pending[this.pendingLength - 1] === CR) {
        this.handleLine(this.pending, 0, this.pendingLength);
        this.pendingLength = 0;
      }
    }
    // Old Mac line ends (CR only): read as LF, at the cost of one copy per chunk for such files only.
    const chunk = this.lineEnds === "cr" ? crToLf(input) : input;
    const end = chunk.length;
    let pos = 0;
    this.bytesSeen += end;
    if (this.pendingLength > 0) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.appendPending(chunk, 0, end);
        return;
      }
      this.appendPending(chunk, 0, newline);
      this.handleLine(this.pending, 0, this.pendingLength);
      this.pendingLength = 0;
      pos = newline + 1;
    }
    while (pos < end) {
      // Fast path: a well-formed row is parsed and its line end found in one pass over its bytes.
      const rowEnd = this.headerSeen ? this.parseRow(chunk, pos, end, false) : -1;
      if (rowEnd >= 0) {
        this.lineNumber++;
        pos = rowEnd + 1;
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, pos);
      if (newline < 0) break;
      this.handleLine(chunk, pos, newline);
      pos = newline + 1;
    }
    if (pos < end) this.appendPending(chunk, pos, end);
    if (!this.sized && this.bytesSeen >= SIZING_SAMPLE_BYTES) this.sizeForExpectedBytes();
  }

  /** Resizes the arrays for the rows the whole input should hold, from the bytes per row seen so far. */
  private sizeForExpectedBytes(): void {
    this.sized = true;
    const expected = this.expectedRows();
    if (expected > this.capacity) this.resize(expected);
  }

  /** Rows the whole input should hold at the bytes per row seen so far (0 when unknown). */
  private expectedRows(): number {
    const rows = this.rowsRead;
    if (this.expectedBytes <= this.bytesSeen || rows === 0) return 0;
    return Math.ceil((this.expectedBytes / this.bytesSeen) * rows) + 1024;
  }

  finish(): { table: RatingsTable; report: ParseReport } {
    if (this.pendingLength > 0) {
      this.handleLine(this.pending, 0, this.pendingLength);
      this.pendingLength = 0;
    }
    if (!this.headerSeen) throw new RatingsFormatError("the ratings file is empty: it has no header line");
    const rowsRead = this.rowsRead;
    if (rowsRead === 0) throw new RatingsFormatError("the ratings file has a header but no data rows");
    const share = this.bad / rowsRead;
    if (share > this.maxBadShare) {
      const first = this.firstBad[0];
      throw new RatingsFormatError(
        `${this.bad} of ${rowsRead} rows (${percent(share)}) are malformed, above the ${percent(this.maxBadShare)} limit` +
          (first ? `; first: line ${first.line}: ${first.message}` : ""),
      );
    }
    const duplicates = this.ordered ? 0 : this.dropDuplicates();
    const n = this.length;
    // Views when little would be wasted (no copy at the peak); otherwise copies that free the spare room.
    const copy = this.capacity - n > n / 8;
    const fit = <T extends Int32Array | Float32Array | Uint32Array | Uint8Array>(a: T): T =>
      (copy ? a.slice(0, n) : a.subarray(0, n)) as T;
    const table: RatingsTable = {
      length: n,
      userIds: fit(this.userIds),
      movieIds: fit(this.movieIds),
      ratings: fit(this.ratings),
      timestamps: fit(this.timestamps),
      favourite: fit(this.favourite),
    };
    const report: ParseReport = {
      format: this.hasRating ? "ratings" : "favourites",
      rowsRead,
      badRows: this.bad,
      firstBadRows: this.firstBad.slice(),
      duplicates,
    };
    return { table, report };
  }

  private appendPending(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.pendingLength + (end - start);
    if (needed > MAX_LINE_BYTES) {
      throw new RatingsFormatError(
        `line ${this.lineNumber + 1} is longer than ${MAX_LINE_BYTES} bytes: this does not look like a CSV file`,
      );
    }
    if (needed > this.pending.length) {
      const grown = new Uint8Array(Math.max(needed, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(bytes.subarray(start, end), this.pendingLength);
    this.pendingLength = needed;
  }

  private handleLine(bytes: Uint8Array, start: number, end: number): void {
    this.lineNumber++;
    if (end > start && bytes[end - 1] === CR) end--;
    if (end - start > MAX_LINE_BYTES) {
      throw new RatingsFormatError(
        `line ${this.lineNumber} is longer than ${MAX_LINE_BYTES} bytes: this does not look like a CSV file`,
      );
    }
    if (!this.headerSeen) {
      if (
        this.lineNumber === 1 &&
        bytes[start] === 0xef &&
        bytes[start + 1] === 0xbb &&
        bytes[start + 2] === 0xbf
      ) {
        start += 3;
      }
      if (isBlank(bytes, start, end)) return;
      this.readHeader(new TextDecoder().decode(bytes.subarray(start, end)));
      return;
    }
    if (end === start) return;
    const first = bytes[start];
    if ((first === SPACE || first === TAB) && isBlank(bytes, start, end)) return;
    if (this.parseRow(bytes, start, end, true) < 0) {
      this.bad++;
      if (this.firstBad.length < this.maxReported) {
        const text = new TextDecoder().decode(bytes.subarray(start, end));
        this.firstBad.push({
          line: this.lineNumber,
          message: printable(describeBadRow(text, this.roles), 160),
        });
      }
    }
  }

  private readHeader(text: string): void {
    const names = text.split(",").map((name) => name.trim().replace(/^"(.*)"$/, "$1"));
    const roles = new Uint8Array(names.length);
    const seen = new Set<number>();
    for (let i = 0; i < names.length; i++) {
      const role = COLUMN_ROLES[names[i]!.toLowerCase()] ?? IGNORE;
      if (role !== IGNORE && seen.has(role)) {
        throw new RatingsFormatError(
          `line ${this.lineNumber}: header names column ${COLUMN_NAMES[role]} twice`,
        );
      }
      seen.add(role);
      roles[i] = role;
    }
    if (!seen.has(USER) || !seen.has(MOVIE)) {
      const found = printable(text, 120);
      throw new RatingsFormatError(
        `line ${this.lineNumber}: header must have columns userId and movieId; found: ${found}`,
      );
    }
    this.roles = roles;
    this.hasRating = seen.has(RATING);
    this.headerSeen = true;
  }

  /**
   * Parses one data row straight from bytes and stores it. `bounded`: the row is exactly [start, limit) (a
   * line without its line break). Otherwise the row starts at `start` and must end with LF or CRLF before
   * `limit` (the fast path over a chunk, which finds the line end while parsing). Returns the row's end (the
   * LF's index, or `limit` when bounded), or -1 when the row is malformed or incomplete; nothing is stored
   * then and the caller re-reads the line by the slow path, which explains why.
   */
  private parseRow(b: Uint8Array, start: number, limit: number, bounded: boolean): number {
    const roles = this.roles;
    const last = roles.length - 1;
    let p = start;
    let user = 0;
    let movie = 0;
    let timestamp = 0;
    let rating = Number.NaN;
    for (let f = 0; f <= last; f++) {
      const role = roles[f];
      const fieldStart = p;
      if (role === IGNORE) {
        while (p < limit && b[p] !== COMMA && b[p] !== NEWLINE) p++;
      } else if (role === RATING) {
        let mantissa = 0;
        let digits = 0;
        let fraction = -1;
        let negative = false;
        if (p < limit && b[p] === MINUS) {
          negative = true;
          p++;
        }
        for (; p < limit; p++) {
          const c = b[p]!;
          if (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            digits++;
            if (fraction >= 0) fraction++;
          } else if (c === DOT && fraction < 0) {
            fraction = 0;
          } else break;
        }
        if (digits === 0 || digits > 15) return -1;
        rating = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
        if (negative) rating = -rating;
        if (!(rating >= MIN_RATING && rating <= MAX_RATING)) return -1;
      } else {
        let value = 0;
        for (; p < limit; p++) {
          const d = b[p]! - ZERO;
          if (d < 0 || d > 9) break;
          value = value * 10 + d;
        }
        if (p === fieldStart) return -1;
        if (role === TIMESTAMP) {
          if (value > MAX_TIMESTAMP) return -1;
          timestamp = value;
        } else {
          if (value === 0 || value > MAX_ID) return -1;
          if (role === USER) user = value;
          else movie = value;
        }
      }
      if (f < last) {
        if (p >= limit || b[p] !== COMMA) return -1;
        p++;
      }
    }
    if (bounded) {
      if (p !== limit) return -1;
    } else {
      if (p >= limit) return -1;
      if (b[p] === CR) {
        if (p + 1 >= limit || b[p + 1] !== NEWLINE) return -1;
        p++;
      } else if (b[p] !== NEWLINE) return -1;
    }

    if (user < this.lastUser) {
      this.ordered = false;
      this.usersGrouped = false;
    } else if (user === this.lastUser && movie <= this.lastMovie) this.ordered = false;
    this.lastUser = user;
    this.lastMovie = movie;

    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.userIds[i] = user;
    this.movieIds[i] = movie;
    this.ratings[i] = rating;
    this.timestamps[i] = timestamp;
    this.favourite[i] = this.hasRating ? (rating >= this.threshold ? 1 : 0) : 1;
    return p;
  }

  /** Doubles the arrays, or when the input's size is known grows them to a fresh estimate (at least 1/8 more). */
  private grow(): void {
    const expected = this.sized ? this.expectedRows() : 0;
    this.resize(expected > 0 ? Math.max(expected, Math.ceil(this.capacity * 1.125)) : this.capacity * 2);
  }

  private resize(capacity: number): void {
    const userIds = new Int32Array(capacity);
    userIds.set(this.userIds);
    this.userIds = userIds;
    const movieIds = new Int32Array(capacity);
    movieIds.set(this.movieIds);
    this.movieIds = movieIds;
    const ratings = new Float32Array(capacity);
    ratings.set(this.ratings);
    this.ratings = ratings;
    const timestamps = new Uint32Array(capacity);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
    const favourite = new Uint8Array(capacity);
    favourite.set(this.favourite);
    this.favourite = favourite;
    this.capacity = capacity;
  }

  /**
   * Removes every row that a later row with the same (userId, movieId) supersedes, keeping file order.
   * Rows are grouped by user with a stable two-pass radix sort (skipped when the file is already grouped),
   * then each user's rows are sorted by (movieId, position) as packed float keys; returns the rows dropped.
   */
  private dropDuplicates(): number {
    const n = this.length;
    const users = this.userIds;
    const movies = this.movieIds;
    const order = this.usersGrouped ? null : radixOrderByUser(users, n);
    const drop = new Uint8Array(n);
    let dropped = 0;
    let scratch = new Float64Array(0);
    const at = (k: number): number => (order === null ? k : order[k]!);
    let s = 0;
    while (s < n) {
      const user = users[at(s)]!;
      let e = s + 1;
      let increasing = true;
      let previous = movies[at(s)]!;
      while (e < n && users[at(e)] === user) {
        const movie = movies[at(e)]!;
        if (movie <= previous) increasing = false;
        previous = movie;
        e++;
      }
      if (!increasing) {
        const size = e - s;
        if (size <= SEGMENT_POSITIONS) {
          if (scratch.length < size) scratch = new Float64Array(Math.max(size, scratch.length * 2));
          const keys = scratch.subarray(0, size);
          for (let j = 0; j < size; j++) keys[j] = movies[at(s + j)]! * SEGMENT_POSITIONS + j;
          keys.sort();
          for (let j = 0; j + 1 < size; j++) {
            if (Math.floor(keys[j]! / SEGMENT_POSITIONS) === Math.floor(keys[j + 1]! / SEGMENT_POSITIONS)) {
              drop[at(s + (keys[j]! % SEGMENT_POSITIONS))] = 1;
              dropped++;
            }
          }
        } else {
          const positions = Int32Array.from({ length: size }, (_, j) => j);
          positions.sort((x, y) => movies[at(s + x)]! - movies[at(s + y)]! || x - y);
          for (let j = 0; j + 1 < size; j++) {
            if (movies[at(s + positions[j]!)] === movies[at(s + positions[j + 1]!)]) {
              drop[at(s + positions[j]!)] = 1;
              dropped++;
            }
          }
        }
      }
      s = e;
    }
    if (dropped > 0) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        if (drop[r] === 1) continue;
        if (w !== r) {
          users[w] = users[r]!;
          movies[w] = movies[r]!;
          this.ratings[w] = this.ratings[r]!;
          this.timestamps[w] = this.timestamps[r]!;
          this.favourite[w] = this.favourite[r]!;
        }
        w++;
      }
      this.length = w;
    }
    return dropped;
  }
}

/** Bytes read before the parser sizes its arrays from `expectedBytes`. */
const SIZING_SAMPLE_BYTES = 65_536;

/** Positions within one user's rows packed below the movie id in a float key (2^22; movieId < 2^31 keeps keys < 2^53). */
const SEGMENT_POSITIONS = 4_194_304;

/** Row indices ordered by user id, stable (file order within a user): LSD radix sort on two 16-bit digits. */
function radixOrderByUser(users: Int32Array, n: number): Int32Array {
  let order = new Int32Array(n);
  let next = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Int32Array(65_537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((users[i]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65_536; d++) counts[d + 1]! += counts[d]!;
    for (let i = 0; i < n; i++) {
      const row = order[i]!;
      next[counts[(users[row]! >>> shift) & 0xffff]!++] = row;
    }
    [order, next] = [next, order];
  }
  return order;
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = bytes[p];
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

/** Says why a data line is malformed, by the same rules the byte parser applies. */
function describeBadRow(line: string, roles: Uint8Array): string {
  const fields = line.split(",");
  if (fields.length !== roles.length) return `expected ${roles.length} fields, found ${fields.length}`;
  for (let f = 0; f < roles.length; f++) {
    const role = roles[f]!;
    const text = fields[f]!;
    if (role === USER || role === MOVIE) {
      const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(value >= 1 && value <= MAX_ID)) {
        return `${COLUMN_NAMES[role]} ${JSON.stringify(text)} is not a positive integer`;
      }
    } else if (role === RATING) {
      const match = /^-?(\d*)\.?(\d*)$/.exec(text);
      const digits = match ? match[1]!.length + match[2]!.length : 0;
      if (!match || digits === 0 || digits > 15) return `rating ${JSON.stringify(text)} is not a number`;
      const value = Number(text);
      if (!(value >= MIN_RATING && value <= MAX_RATING))
        return `rating ${text} is outside ${MIN_RATING}..${MAX_RATING}`;
    } else if (role === TIMESTAMP) {
      const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(value <= MAX_TIMESTAMP))
        return `timestamp ${JSON.stringify(text)} is not a whole number of seconds`;
    }
  }
  return "malformed row";
}
