/**
 * Recognises input that is not a CSV text file from its first bytes, so an error can say what the file
 * looks like (gzip, zip, UTF-16, binary) instead of echoing its bytes, and translates old Mac line ends
 * (CR only) into LF so such files parse.
 */

const LF = 10;
const CR = 13;
const TAB = 9;

/**
 * What a file that starts with `head` looks like when it is not CSV text, as a phrase ("gzip-compressed
 * data"); undefined when it may be CSV (UTF-8 or ASCII text, with or without a BOM).
 */
export function describeNonCsv(head: Uint8Array): string | undefined {
  const at = (i: number) => head[i] ?? -1;
  if (at(0) === 0x1f && at(1) === 0x8b) return "gzip-compressed data (decompress it first, e.g. gunzip)";
  if (at(0) === 0x50 && at(1) === 0x4b && (at(2) === 3 || at(2) === 5 || at(2) === 7)) {
    return "a zip archive (unzip it and pass the CSV inside)";
  }
  if ((at(0) === 0xff && at(1) === 0xfe) || (at(0) === 0xfe && at(1) === 0xff)) {
    return "UTF-16 text (save it as UTF-8)";
  }
  if (at(0) === 0x42 && at(1) === 0x5a && at(2) === 0x68)
    return "bzip2-compressed data (decompress it first)";
  if (at(0) === 0xfd && at(1) === 0x37 && at(2) === 0x7a && at(3) === 0x58) {
    return "xz-compressed data (decompress it first)";
  }
  const sample = head.subarray(0, 512);
  let zeros = 0;
  let zerosAtOdd = 0;
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i]!;
    if (byte === 0) {
      zeros++;
      if (i % 2 === 1) zerosAtOdd++;
    } else if (byte < 32 && byte !== LF && byte !== CR && byte !== TAB) controls++;
  }
  // UTF-16 without a BOM: ASCII text with every other byte zero.
  if (
    sample.length >= 8 &&
    zeros >= sample.length / 3 &&
    (zerosAtOdd >= zeros * 0.9 || zerosAtOdd <= zeros * 0.1)
  ) {
    return "UTF-16 text (save it as UTF-8)";
  }
  if (zeros > 0 || controls > Math.max(2, sample.length / 100)) return "binary data, not text";
  return undefined;
}

/** Line ends of a text input, decided from its first line break. */
export type LineEnds = "unknown" | "lf" | "cr";

/**
 * Decides the line ends from a chunk: "lf" when an LF (or CRLF) comes first, "cr" when a CR comes first
 * that is not followed by an LF, "unknown" when the chunk cannot tell (no line break yet, or a CR as its
 * last byte).
 */
export function detectLineEnds(chunk: Uint8Array): LineEnds {
  const lf = chunk.indexOf(LF);
  const cr = chunk.indexOf(CR);
  if (cr < 0) return lf < 0 ? "unknown" : "lf";
  if (lf >= 0 && lf <= cr + 1) return "lf";
  if (cr === chunk.length - 1) return "unknown";
  return "cr";
}

/** A copy of `chunk` with every CR turned into LF (for inputs whose line ends are CR only). */
export function crToLf(chunk: Uint8Array): Uint8Array {
  const copy = chunk.slice();
  for (let i = copy.indexOf(CR); i >= 0; i = copy.indexOf(CR, i + 1)) copy[i] = LF;
  return copy;
}

/** Text safe to show in one terminal line: control characters escaped, at most `max` characters. */
export function printable(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return cut.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
