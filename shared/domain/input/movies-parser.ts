/**
 * Incremental parser of movies.csv (`movieId,title,genres`) with RFC 4180 quoting: a quoted field may hold
 * commas, line breaks and doubled quotes (`"American President, The (1995)"`). Pure: takes Uint8Array
 * chunks in file order, split anywhere. Columns are found by header name (case-insensitive, extra columns
 * ignored); genres are `|`-separated and "(no genres listed)" means none. LF or CRLF, UTF-8 BOM, blank lines.
 */

import { RatingsFormatError, ValidationError } from "../errors.js";
import { crToLf, describeNonCsv, detectLineEnds, type LineEnds, printable } from "./file-sniff.js";
import type { BadRow, Movie } from "./ratings.js";

/** Options of {@link createMoviesParser}; every field has a default. */
export interface MoviesParserOptions {
  /** Largest tolerated share of malformed rows, 0..1; above it finish() throws. Default 0.01. */
  readonly maxBadShare?: number;
  /** How many bad rows the report lists (all are counted). Default 5. */
  readonly maxReportedBadRows?: number;
}

/** What parsing movies found, besides the movies. */
export interface MoviesReport {
  /** Data records read (blank lines not counted). */
  readonly rowsRead: number;
  readonly badRows: number;
  /** The first few bad rows, in file order, with the 1-based line their record starts on. */
  readonly firstBadRows: readonly BadRow[];
  /** Records dropped because a later record had the same movieId (the last one wins). */
  readonly duplicates: number;
}

/** A movies parser fed chunk by chunk. */
export interface MoviesParser {
  /** Parses every complete record in the chunk; a partial record waits for the next chunk. */
  push(chunk: Uint8Array): void;
  /** Ends the input; throws RatingsFormatError on a wrong header, an empty file or too many bad rows. */
  finish(): { movies: Movie[]; report: MoviesReport };
}

/** The genres field that means "no genres". */
export const NO_GENRES = "(no genres listed)";

const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;
const CR = 13;
const BOM = [0xef, 0xbb, 0xbf];
const MAX_ID = 2147483647;
const MAX_FIELD_BYTES = 1 << 20;

/** States of the RFC 4180 field machine. */
const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** Makes an incremental movies parser; see the module comment for the accepted format. */
export function createMoviesParser(options: MoviesParserOptions = {}): MoviesParser {
  return new Parser(options);
}

/** Parses a whole movies CSV held in memory (small files and tests). */
export function parseMovies(
  csv: Uint8Array | string,
  options: MoviesParserOptions = {},
): { movies: Movie[]; report: MoviesReport } {
  const parser = createMoviesParser(options);
  parser.push(typeof csv === "string" ? new TextEncoder().encode(csv) : csv);
  return parser.finish();
}

class Parser implements MoviesParser {
  private started = false;
  private lineEnds: LineEnds = "unknown";
  private readonly maxBadShare: number;
  private readonly maxReported: number;
  private readonly decoder = new TextDecoder();

  /** The first bytes, held until it is known whether they are a BOM; null once decided. */
  private head: number[] | null = [];
  private state: State = State.FieldStart;
  private field = new Uint8Array(256);
  private fieldLength = 0;
  private fields: string[] = [];
  private recordStarted = false;
  private recordError: string | null = null;
  private line = 1;
  private recordLine = 1;

  private columns: { movieId: number; title: number; genres: number; count: number } | null = null;
  private readonly byId = new Map<number, Movie>();
  private rows = 0;
  private bad = 0;
  private duplicates = 0;
  private readonly firstBad: BadRow[] = [];

  constructor(options: MoviesParserOptions) {
    this.maxBadShare = options.maxBadShare ?? 0.01;
    this.maxReported = options.maxReportedBadRows ?? 5;
    if (!(this.maxBadShare >= 0 && this.maxBadShare <= 1)) {
      throw new ValidationError(
        "maxBadShare",
        `maxBadShare must be between 0 and 1; got ${this.maxBadShare}`,
      );
    }
  }

  push(input: Uint8Array): void {
    if (!this.started && input.length > 0) {
      this.started = true;
      const looksLike = describeNonCsv(input);
      if (looksLike)
        throw new RatingsFormatError(`the movies file is not CSV text: it looks like ${looksLike}`);
    }
    if (this.lineEnds === "unknown") this.lineEnds = detectLineEnds(input);
    // Old Mac line ends (CR only) are read as LF.
    const chunk = this.lineEnds === "cr" ? crToLf(input) : input;
    let start = 0;
    if (this.head !== null) {
      while (start < chunk.length && this.head.length < BOM.length) {
        const byte = chunk[start++]!;
        this.head.push(byte);
        if (byte !== BOM[this.head.length - 1]) break;
      }
      if (
        this.head.length < BOM.length &&
        start === chunk.length &&
        this.head.every((b, i) => b === BOM[i])
      ) {
        return;
      }
      const held = this.head;
      this.head = null;
      if (!(held.length === BOM.length && held.every((b, i) => b === BOM[i])))
        this.consume(Uint8Array.from(held));
    }
    this.consume(start === 0 ? chunk : chunk.subarray(start));
  }

  finish(): { movies: Movie[]; report: MoviesReport } {
    if (this.head !== null) {
      const held = this.head;
      this.head = null;
      if (!(held.length === BOM.length && held.every((b, i) => b === BOM[i])))
        this.consume(Uint8Array.from(held));
    }
    if (this.state === State.Quoted) {
      this.recordError ??= "a quoted field is not closed before the end of the file";
    }
    if (this.recordStarted || this.fields.length > 0) {
      this.endField();
      this.endRecord();
    }
    if (this.columns === null)
      throw new RatingsFormatError("the movies file is empty: it has no header line");
    if (this.rows === 0) throw new RatingsFormatError("the movies file has a header but no data rows");
    const share = this.bad / this.rows;
    if (share > this.maxBadShare) {
      const first = this.firstBad[0];
      throw new RatingsFormatError(
        `${this.bad} of ${this.rows} movies rows (${percent(share)}) are malformed, above the ${percent(this.maxBadShare)} limit` +
          (first ? `; first: line ${first.line}: ${first.message}` : ""),
      );
    }
    return {
      movies: [...this.byId.values()],
      report: {
        rowsRead: this.rows,
        badRows: this.bad,
        firstBadRows: this.firstBad.slice(),
        duplicates: this.duplicates,
      },
    };
  }

  private consume(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.recordStarted = true;
          } else if (c === COMMA) {
            this.recordStarted = true;
            this.endField();
          } else if (c === NEWLINE) {
            this.endField();
            this.endRecord();
          } else if (c !== CR) {
            this.append(c);
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          if (c === COMMA) {
            this.endField();
            this.state = State.FieldStart;
          } else if (c === NEWLINE) {
            this.endField();
            this.endRecord();
          } else if (c !== CR) {
            if (c === QUOTE) this.recordError ??= "a quote inside an unquoted field (quote the whole field)";
            this.append(c);
          }
          break;
        case State.Quoted:
          if (c === QUOTE) this.state = State.QuoteInQuoted;
          else {
            if (c === NEWLINE) this.line++;
            this.append(c);
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.append(QUOTE);
            this.state = State.Quoted;
          } else if (c === COMMA) {
            this.endField();
            this.state = State.FieldStart;
          } else if (c === NEWLINE) {
            this.endField();
            this.endRecord();
          } else if (c !== CR) {
            this.recordError ??= "unexpected text after a closing quote";
            this.append(c);
            this.state = State.Unquoted;
          }
          break;
      }
    }
  }

  private append(byte: number): void {
    this.recordStarted = true;
    if (this.fieldLength === this.field.length) {
      if (this.fieldLength >= MAX_FIELD_BYTES) {
        throw new RatingsFormatError(
          `line ${this.recordLine}: a field is longer than ${MAX_FIELD_BYTES} bytes (an unclosed quote?)`,
        );
      }
      const grown = new Uint8Array(this.field.length * 2);
      grown.set(this.field);
      this.field = grown;
    }
    this.field[this.fieldLength++] = byte;
  }

  private endField(): void {
    this.fields.push(this.decoder.decode(this.field.subarray(0, this.fieldLength)));
    this.fieldLength = 0;
  }

  /** Handles a complete record (after its newline or at the end of the file) and starts the next. */
  private endRecord(): void {
    const fields = this.fields;
    const blank = !this.recordStarted && fields.length === 1 && fields[0] === "";
    const line = this.recordLine;
    const error = this.recordError;
    this.fields = [];
    this.recordStarted = false;
    this.recordError = null;
    this.state = State.FieldStart;
    this.line++;
    this.recordLine = this.line;
    if (blank) return;
    if (this.columns === null) {
      this.readHeader(fields, line);
      return;
    }
    this.rows++;
    const message = error ?? this.addMovie(fields);
    if (message !== null) {
      this.bad++;
      if (this.firstBad.length < this.maxReported) this.firstBad.push({ line, message });
    }
  }

  private readHeader(fields: string[], line: number): void {
    const names = fields.map((name) => name.trim().toLowerCase());
    const movieId = names.indexOf("movieid");
    const title = names.indexOf("title");
    if (movieId < 0 || title < 0) {
      throw new RatingsFormatError(
        `line ${line}: movies header must have columns movieId and title (and genres); found: ${printable(fields.join(","), 120)}`,
      );
    }
    this.columns = { movieId, title, genres: names.indexOf("genres"), count: fields.length };
  }

  /** Adds one record as a movie; returns why it is malformed, or null. */
  private addMovie(fields: string[]): string | null {
    const columns = this.columns!;
    if (fields.length !== columns.count) return `expected ${columns.count} fields, found ${fields.length}`;
    const idText = fields[columns.movieId]!;
    const movieId = /^\d+$/.test(idText) ? Number(idText) : Number.NaN;
    if (!(movieId >= 1 && movieId <= MAX_ID))
      return `movieId "${printable(idText, 40)}" is not a positive integer`;
    const genresText = columns.genres >= 0 ? fields[columns.genres]!.trim() : "";
    const genres =
      genresText === "" || genresText === NO_GENRES ? [] : genresText.split("|").filter((g) => g !== "");
    if (this.byId.has(movieId)) {
      this.duplicates++;
      this.byId.delete(movieId);
    }
    this.byId.set(movieId, { movieId, title: fields[columns.title]!, genres });
    return null;
  }
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
