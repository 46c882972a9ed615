import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { StoreError } from "../domain/errors.js";

/**
 * Small hand-written marshalling helpers (no lib-dynamodb: smaller bundles), and the readers that parse
 * items read back from DynamoDB: a missing or mistyped attribute is a StoreError naming it.
 */

/** A DynamoDB item. */
export type Item = Record<string, AttributeValue>;

/** String attribute. */
export const S = (value: string): AttributeValue => ({ S: value });
/** Number attribute. */
export const N = (value: number): AttributeValue => ({ N: String(value) });
/** Boolean attribute. */
export const BOOL = (value: boolean): AttributeValue => ({ BOOL: value });
/** Binary attribute. */
export const B = (value: Uint8Array): AttributeValue => ({ B: value });
/** List of strings. */
export const LS = (values: readonly string[]): AttributeValue => ({ L: values.map(S) });
/** List of numbers. */
export const LN = (values: ArrayLike<number>): AttributeValue => ({ L: Array.from(values, N) });

function bad(item: Item, name: string, expected: string): StoreError {
  return new StoreError(
    `item ${item.pk?.S ?? "?"}/${item.sk?.S ?? "?"}: attribute ${name} is not ${expected}`,
  );
}

/** Reads a string attribute. */
export function readS(item: Item, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw bad(item, name, "a string");
  return value;
}

/** Reads an optional string attribute. */
export function readOptionalS(item: Item, name: string): string | undefined {
  return item[name]?.S;
}

/** Reads a number attribute. */
export function readN(item: Item, name: string): number {
  const raw = item[name]?.N;
  const value = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw bad(item, name, "a number");
  return value;
}

/** Reads an optional number attribute. */
export function readOptionalN(item: Item, name: string): number | undefined {
  return item[name] === undefined ? undefined : readN(item, name);
}

/** Reads a list of strings (absent is empty). */
export function readLS(item: Item, name: string): string[] {
  const list = item[name]?.L;
  if (list === undefined) return [];
  return list.map((entry) => {
    if (entry.S === undefined) throw bad(item, name, "a list of strings");
    return entry.S;
  });
}

/** Reads a list of numbers (absent is empty). */
export function readLN(item: Item, name: string): number[] {
  const list = item[name]?.L;
  if (list === undefined) return [];
  return list.map((entry) => {
    const value = entry.N === undefined ? Number.NaN : Number(entry.N);
    if (!Number.isFinite(value)) throw bad(item, name, "a list of numbers");
    return value;
  });
}

/** Reads a map of booleans (absent is empty). */
export function readBoolMap(item: Item, name: string): Map<string, boolean> {
  const map = item[name]?.M;
  const out = new Map<string, boolean>();
  if (map === undefined) return out;
  for (const [key, value] of Object.entries(map)) {
    if (value.BOOL === undefined) throw bad(item, name, "a map of booleans");
    out.set(key, value.BOOL);
  }
  return out;
}

/** Packs ids as little-endian Int32 (4 bytes each): a user's favourites in one binary attribute. */
export function packInt32(ids: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(ids.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < ids.length; i++) view.setInt32(i * 4, ids[i]!, true);
  return bytes;
}

/** Unpacks what packInt32 wrote. */
export function unpackInt32(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0)
    throw new StoreError(`packed id list has ${bytes.length} bytes, not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** Reads a packed Int32 list (absent is empty). */
export function readPacked(item: Item, name: string): Int32Array {
  const value = item[name];
  if (value === undefined) return new Int32Array(0);
  if (value.B === undefined) throw bad(item, name, "binary");
  return unpackInt32(value.B);
}

/** Parses a JSON string attribute. */
export function readJson(item: Item, name: string): unknown {
  const text = readS(item, name);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StoreError(`attribute ${name} is not valid JSON`, { cause: error });
  }
}

/** Packs numbers as little-endian Float32 (4 bytes each). */
export function packFloat32(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

/** Unpacks what packFloat32 wrote. */
export function unpackFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0)
    throw new StoreError(`packed float list has ${bytes.length} bytes, not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
