/**
 * The binary user x movie favourites matrix in CSR form on typed arrays. Rows are users, columns movies;
 * both are dense indices into sorted id arrays, so ids may be large and sparse (MovieLens reaches ~300k).
 */
import type { RatingsTable } from "../input/ratings.js";

/** A sparse matrix in compressed sparse row form; column indices are sorted and unique within a row. */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  /** Row i's entries are at rowPtr[i] .. rowPtr[i + 1] - 1 (length rows + 1). */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** Entry values; null for a binary matrix (every stored entry is 1). */
  readonly values: Float32Array | null;
  /** rowIds[i] is the user id of row i, ascending. */
  readonly rowIds: Int32Array;
  /** colIds[j] is the movie id of column j, ascending. */
  readonly colIds: Int32Array;
}

/** Ids at or below this use a dense lookup table when mapped to indices; larger ids fall back to sorting. */
const DENSE_ID_LIMIT = 1 << 24;

/** Sorted unique ids of the selected entries, and a function from id to dense index. */
function indexIds(
  ids: Int32Array,
  selected: Uint8Array,
  count: number,
): { sorted: Int32Array; indexOf: (id: number) => number } {
  let maxId = 0;
  for (let i = 0; i < ids.length; i++) if (selected[i] === 1 && ids[i]! > maxId) maxId = ids[i]!;
  if (maxId <= DENSE_ID_LIMIT) {
    const lookup = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < ids.length; i++) if (selected[i] === 1) lookup[ids[i]!] = 0;
    let next = 0;
    for (let id = 0; id <= maxId; id++) if (lookup[id] === 0) lookup[id] = next++;
    const sorted = new Int32Array(next);
    for (let id = 0; id <= maxId; id++) if (lookup[id]! >= 0) sorted[lookup[id]!] = id;
    return { sorted, indexOf: (id) => lookup[id]! };
  }
  const all = new Int32Array(count);
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (selected[i] === 1) all[n++] = ids[i]!;
  all.sort();
  let unique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) all[unique++] = all[i]!;
  const sorted = all.slice(0, unique);
  return { sorted, indexOf: (id) => binarySearch(sorted, id) };
}

/** Index of `value` in the ascending array, or -1 when absent. */
export function binarySearch(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < value) lo = mid + 1;
    else if (v > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Builds the binary favourites matrix from the rows flagged favourite: one row per user with at least one
 * favourite, one column per movie with at least one favourite. A repeated (user, movie) counts once.
 * Ids must be non-negative integers (the parser guarantees positive ones).
 */
export function buildFavouriteMatrix(table: RatingsTable): SparseMatrix {
  const { userIds, movieIds, favourite } = table;
  const n = table.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (favourite[i] === 1) count++;
  const users = indexIds(userIds.subarray(0, n), favourite, count);
  const movies = indexIds(movieIds.subarray(0, n), favourite, count);
  const rows = users.sorted.length;
  const rowPtr = new Int32Array(rows + 1);
  const rowOf = new Int32Array(count);
  let e = 0;
  for (let i = 0; i < n; i++) {
    if (favourite[i] !== 1) continue;
    const r = users.indexOf(userIds[i]!);
    rowOf[e++] = r;
    rowPtr[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) rowPtr[r + 1]! += rowPtr[r]!;
  const fill = rowPtr.slice(0, rows);
  const colIdx = new Int32Array(count);
  e = 0;
  for (let i = 0; i < n; i++) {
    if (favourite[i] !== 1) continue;
    colIdx[fill[rowOf[e++]!]!++] = movies.indexOf(movieIds[i]!);
  }
  // Sort each row's columns and drop repeats, compacting in place.
  let write = 0;
  let start = 0;
  for (let r = 0; r < rows; r++) {
    const end = rowPtr[r + 1]!;
    const row = colIdx.subarray(start, end);
    if (row.length > 1) row.sort();
    rowPtr[r] = write;
    for (let p = start; p < end; p++) {
      const c = colIdx[p]!;
      if (p === start || c !== colIdx[p - 1]) colIdx[write++] = c;
    }
    start = end;
  }
  rowPtr[rows] = write;
  return {
    rows,
    cols: movies.sorted.length,
    nnz: write,
    rowPtr,
    colIdx: write === count ? colIdx : colIdx.slice(0, write),
    values: null,
    rowIds: users.sorted,
    colIds: movies.sorted,
  };
}

/**
 * Builds the binary matrix of every rated (user, movie), favourite or not: what each user has seen, so
 * recommendations can leave it out.
 */
export function buildRatedMatrix(table: RatingsTable): SparseMatrix {
  return buildFavouriteMatrix({ ...table, favourite: new Uint8Array(table.length).fill(1) });
}

/** The sub-matrix of the given rows (ascending indices), with all columns kept. */
export function selectRows(matrix: SparseMatrix, rows: Int32Array): SparseMatrix {
  const rowPtr = new Int32Array(rows.length + 1);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    rowPtr[r + 1] = rowPtr[r]! + matrix.rowPtr[i + 1]! - matrix.rowPtr[i]!;
  }
  const nnz = rowPtr[rows.length]!;
  const colIdx = new Int32Array(nnz);
  const values = matrix.values === null ? null : new Float32Array(nnz);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    colIdx.set(matrix.colIdx.subarray(matrix.rowPtr[i]!, matrix.rowPtr[i + 1]!), rowPtr[r]!);
    values?.set(matrix.values!.subarray(matrix.rowPtr[i]!, matrix.rowPtr[i + 1]!), rowPtr[r]!);
  }
  const rowIds = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) rowIds[r] = matrix.rowIds[rows[r]!]!;
  return { rows: rows.length, cols: matrix.cols, nnz, rowPtr, colIdx, values, rowIds, colIds: matrix.colIds };
}

/**
 * The same rows with columns renumbered by popularity (most stored entries first; ties by old index), so the
 * hot part of a column-indexed table is contiguous. order[newCol] is the old column; colIds follow the new
 * order (no longer ascending). Entries within a row keep their relative order.
 */
export function permuteColumnsByPopularity(matrix: SparseMatrix): {
  matrix: SparseMatrix;
  order: Int32Array;
} {
  const { cols, nnz, colIdx } = matrix;
  const popularity = new Int32Array(cols);
  for (let p = 0; p < nnz; p++) popularity[colIdx[p]!]!++;
  const order = Int32Array.from({ length: cols }, (_, c) => c).sort(
    (a, b) => popularity[b]! - popularity[a]! || a - b,
  );
  const rank = new Int32Array(cols);
  for (let r = 0; r < cols; r++) rank[order[r]!] = r;
  const permuted = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) permuted[p] = rank[colIdx[p]!]!;
  const colIds = new Int32Array(cols);
  for (let r = 0; r < cols; r++) colIds[r] = matrix.colIds[order[r]!]!;
  return { matrix: { ...matrix, colIdx: permuted, colIds }, order };
}
