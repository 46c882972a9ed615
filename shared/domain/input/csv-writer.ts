/**
 * Writes CSV as bytes into one reusable buffer and hands each full buffer to a sink, so millions of rows
 * are written without building strings per row. Pure: the sink decides where bytes go (a file, memory).
 */

/** Receives a filled part of the buffer; the bytes are only valid until the call returns (copy to keep). */
export type ByteSink = (bytes: Uint8Array) => void;

const QUOTE = 34;
const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV byte writer over a reusable buffer; call flush() at the end. */
export class CsvWriter {
  private readonly buffer: Uint8Array;
  private position = 0;
  private readonly encoder = new TextEncoder();

  /** `bufferBytes` is the size of the one buffer (default 4 MiB); at least 64 bytes. */
  constructor(
    private readonly sink: ByteSink,
    bufferBytes = 4 << 20,
  ) {
    this.buffer = new Uint8Array(Math.max(64, bufferBytes));
  }

  /** Writes a non-negative integer in decimal, byte by byte. */
  uint(value: number): void {
    if (this.position + 16 > this.buffer.length) this.flush();
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let p = this.position + digits;
    this.position = p;
    let v = value;
    do {
      const next = Math.floor(v / 10);
      this.buffer[--p] = 48 + (v - next * 10);
      v = next;
    } while (v > 0);
  }

  /** Writes one byte (an ASCII character code such as 44 for a comma or 10 for a newline). */
  byte(code: number): void {
    if (this.position === this.buffer.length) this.flush();
    this.buffer[this.position++] = code;
  }

  /** Writes bytes as they are (for example a pre-encoded field). */
  bytes(data: Uint8Array): void {
    if (this.position + data.length > this.buffer.length) this.flush();
    if (data.length > this.buffer.length) {
      this.sink(data);
      return;
    }
    this.buffer.set(data, this.position);
    this.position += data.length;
  }

  /** Writes text as UTF-8, without quoting. */
  raw(text: string): void {
    this.bytes(this.encoder.encode(text));
  }

  /** Writes a text field, quoted by RFC 4180 when it holds a comma, a quote or a line break. */
  field(text: string): void {
    if (!NEEDS_QUOTES.test(text)) {
      this.raw(text);
      return;
    }
    this.byte(QUOTE);
    this.raw(text.replaceAll('"', '""'));
    this.byte(QUOTE);
  }

  /** Hands the buffered bytes to the sink and empties the buffer. */
  flush(): void {
    if (this.position === 0) return;
    this.sink(this.buffer.subarray(0, this.position));
    this.position = 0;
  }
}
