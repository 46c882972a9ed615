/** Typed arrays moved between threads: into shared memory once, or transferred without a copy. */

type View = ArrayBufferView & { constructor: new (buffer: SharedArrayBuffer) => ArrayBufferView };

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A copy of plain data in which every typed array lives in a SharedArrayBuffer, so posting it to a worker
 * shares the memory instead of copying it. Arrays and plain objects are walked; other values are kept.
 */
export function toSharedMemory<T>(value: T): T {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value.buffer instanceof SharedArrayBuffer) return value;
    const bytes = new SharedArrayBuffer(value.byteLength);
    new Uint8Array(bytes).set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return new (value as unknown as View).constructor(bytes) as T;
  }
  if (Array.isArray(value)) return value.map(toSharedMemory) as T;
  if (isPlain(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSharedMemory(v)])) as T;
  return value;
}

/** The non-shared ArrayBuffers of every typed array in plain data (to transfer them in postMessage). */
export function transferablesOf(value: unknown, found: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.byteLength === value.buffer.byteLength)
      found.add(value.buffer);
  } else if (Array.isArray(value)) for (const item of value) transferablesOf(item, found);
  else if (isPlain(value)) for (const item of Object.values(value)) transferablesOf(item, found);
  return [...found];
}
