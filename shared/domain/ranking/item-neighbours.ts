/**
 * Item neighbours: for each movie, the few movies most often favourited by the same people (cosine of the
 * two movies' favourite columns, co-favourites / sqrt(favourites(a) x favourites(b))). Ranking blends the
 * neighbours of a user's own favourites into the group's taste; computed once per training run.
 * Cost: sum over users of favourites^2 additions, and a bounded top-N selection per movie.
 */
import { ValidationError } from "../errors.js";
import { isParallel, runTasks, type ParallelRunner } from "../parallel.js";
import type { RatingsTable } from "../input/ratings.js";
import { binarySearch, buildFavouriteMatrix } from "../clustering/sparse-matrix.js";

/** Each movie's top neighbours, CSR-style: movie i's are at offsets[i] .. offsets[i + 1] - 1, best first. */
export interface ItemNeighbours {
  /** Movies with at least one favourite, ascending. */
  readonly movieIds: Int32Array;
  readonly offsets: Int32Array;
  /** Neighbour movieIds, by similarity descending, then movieId ascending. */
  readonly neighbours: Int32Array;
  /** Cosine similarity of each neighbour, in (0, 1]. */
  readonly similarities: Float32Array;
}

/** Default number of neighbours kept per movie (chosen on validation: 10 beat 20). */
export const DEFAULT_NEIGHBOURS_PER_MOVIE = 10;

/** What every chunk of the neighbour computation shares: the favourites matrix by user and by movie. */
export interface NeighbourShared {
  readonly cols: number;
  readonly perMovie: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** Movie j's users are usersOf[colPtr[j] .. colPtr[j + 1] - 1]. */
  readonly colPtr: Int32Array;
  readonly usersOf: Int32Array;
}

/** The top neighbours of the columns from..to-1: counts[i] of them for column from + i, as column indices. */
export interface NeighbourChunk {
  readonly counts: Int32Array;
  readonly columns: Int32Array;
  readonly similarities: Float64Array;
}

/** Column ranges of about equal favourites, for spreading the computation over `parts` tasks. */
function columnRanges(colPtr: Int32Array, cols: number, parts: number): [number, number][] {
  const total = colPtr[cols]!;
  const ranges: [number, number][] = [];
  let from = 0;
  for (let part = 1; part <= parts && from < cols; part++) {
    const target = (total * part) / parts;
    let to = from + 1;
    while (to < cols && (part === parts || colPtr[to]! < target)) to++;
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

/** Kernel "neighbour-chunk": each column's top `perMovie` co-favourited columns, for columns from..to-1. */
export function neighbourChunk(shared: NeighbourShared, range: readonly [number, number]): NeighbourChunk {
  const { cols, perMovie, rowPtr, colIdx, colPtr, usersOf } = shared;
  const [from, to] = range;
  const co = new Int32Array(cols);
  const touched = new Int32Array(cols);
  const counts = new Int32Array(to - from);
  const columns: number[] = [];
  const similarities: number[] = [];
  const topSim = new Float64Array(perMovie);
  const topIdx = new Int32Array(perMovie);
  for (let a = from; a < to; a++) {
    let touchedCount = 0;
    for (let p = colPtr[a]!; p < colPtr[a + 1]!; p++) {
      const user = usersOf[p]!;
      for (let e = rowPtr[user]!; e < rowPtr[user + 1]!; e++) {
        const b = colIdx[e]!;
        if (b === a) continue;
        if (co[b] === 0) touched[touchedCount++] = b;
        co[b]!++;
      }
    }
    const countA = colPtr[a + 1]! - colPtr[a]!;
    // Bounded selection of the best `perMovie` (similarity descending, then movie index ascending): one pass
    // with insertion into a short sorted list, instead of sorting every co-favourited movie.
    let kept = 0;
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t]!;
      const sim = co[b]! / Math.sqrt(countA * (colPtr[b + 1]! - colPtr[b]!));
      if (kept === perMovie && !better(sim, b, topSim[kept - 1]!, topIdx[kept - 1]!)) continue;
      let at = kept < perMovie ? kept++ : kept - 1;
      while (at > 0 && better(sim, b, topSim[at - 1]!, topIdx[at - 1]!)) {
        topSim[at] = topSim[at - 1]!;
        topIdx[at] = topIdx[at - 1]!;
        at--;
      }
      topSim[at] = sim;
      topIdx[at] = b;
    }
    for (let t = 0; t < kept; t++) {
      columns.push(topIdx[t]!);
      similarities.push(topSim[t]!);
    }
    counts[a - from] = kept;
    for (let t = 0; t < touchedCount; t++) co[touched[t]!] = 0;
  }
  return { counts, columns: Int32Array.from(columns), similarities: Float64Array.from(similarities) };
}

/** Tasks per worker: small enough chunks that a worker finishing early takes another. */
const CHUNKS_PER_WORKER = 16;

/**
 * Computes every movie's top `perMovie` neighbours from the favourites of a ratings table; with a parallel
 * runner, column ranges are spread over its workers (the same kernel, so the same result).
 */
export function itemNeighbours(
  table: RatingsTable,
  perMovie = DEFAULT_NEIGHBOURS_PER_MOVIE,
  parallel?: ParallelRunner,
): ItemNeighbours {
  if (!Number.isInteger(perMovie) || perMovie < 1) {
    throw new ValidationError("perMovie", `perMovie must be a positive integer, got ${perMovie}`);
  }
  const matrix = buildFavouriteMatrix(table);
  const { rows, cols, rowPtr, colIdx } = matrix;
  // Transpose: the users of each movie.
  const colPtr = new Int32Array(cols + 1);
  for (let e = 0; e < matrix.nnz; e++) colPtr[colIdx[e]! + 1]!++;
  for (let j = 0; j < cols; j++) colPtr[j + 1]! += colPtr[j]!;
  const usersOf = new Int32Array(matrix.nnz);
  const fill = colPtr.slice(0, cols);
  for (let i = 0; i < rows; i++) {
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) usersOf[fill[colIdx[e]!]!++] = i;
  }
  const shared: NeighbourShared = { cols, perMovie, rowPtr, colIdx, colPtr, usersOf };
  const ranges: [number, number][] = isParallel(parallel)
    ? columnRanges(colPtr, cols, parallel.workers * CHUNKS_PER_WORKER)
    : cols > 0
      ? [[0, cols]]
      : [];
  const chunks = runTasks(parallel, "neighbour-chunk", neighbourChunk, shared, ranges);

  const offsets = new Int32Array(cols + 1);
  let total = 0;
  for (const chunk of chunks) total += chunk.columns.length;
  const neighbours = new Int32Array(total);
  const similarities = new Float32Array(total);
  let at = 0;
  let column = 0;
  for (const chunk of chunks) {
    for (const count of chunk.counts) {
      at += count;
      offsets[++column] = at;
    }
    const start = at - chunk.columns.length;
    for (let t = 0; t < chunk.columns.length; t++) {
      neighbours[start + t] = matrix.colIds[chunk.columns[t]!]!;
      similarities[start + t] = chunk.similarities[t]!;
    }
  }
  return { movieIds: matrix.colIds, offsets, neighbours, similarities };
}

/** The neighbours of the given movies (the user's favourites) as movieId -> (neighbour -> similarity). */
export function neighboursOf(
  index: ItemNeighbours,
  movieIds: Iterable<number>,
): Map<number, ReadonlyMap<number, number>> {
  const out = new Map<number, ReadonlyMap<number, number>>();
  for (const movieId of movieIds) {
    const i = binarySearch(index.movieIds, movieId);
    if (i < 0) continue;
    const list = new Map<number, number>();
    for (let p = index.offsets[i]!; p < index.offsets[i + 1]!; p++) {
      list.set(index.neighbours[p]!, index.similarities[p]!);
    }
    out.set(movieId, list);
  }
  return out;
}

/** Ranking order of neighbours: higher similarity first, then the smaller column (movieId order). */
function better(sim: number, index: number, otherSim: number, otherIndex: number): boolean {
  return sim > otherSim || (sim === otherSim && index < otherIndex);
}
