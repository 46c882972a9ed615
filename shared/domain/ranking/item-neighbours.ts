/**
 * Item neighbours: for each movie, the movies most often favourited by the same people, with the count of
 * people who favourited both (the reason's figure) and a similarity weight. Two weightings:
 * - `cosine`: co-favourites / sqrt(favourites(a) x favourites(b));
 * - `rp3beta` (Paudel et al. 2017, a popularity-penalised random walk movie -> person -> movie):
 *   sum over the people u who liked both of favourites(a)^-alpha x favourites(u)^-alpha, divided by
 *   favourites(b)^beta;
 * - `ease-signed` (production): among the most favourited movies, EASE weights (ease-weights.ts), signed,
 *   divided by the mean of the EASE rows' largest absolute weight; for every other pair, rp3beta divided by
 *   its largest value in the movie's row, times `rp3Share`. A movie keeps the `perMovie` neighbours of
 *   largest absolute weight: negative weights (liking the movie makes this one less likely, once the rest
 *   of the user's favourites are accounted for) are kept too, stored after the positive ones.
 * Only co-favourited movies are neighbours, so every weight comes with a true count of people.
 * Ranking sums the weights of the neighbours of a user's own favourites; computed once per training run.
 * Cost: sum over users of favourites^2 additions, and a bounded top-N selection per movie.
 */

import { binarySearch, type SparseMatrix } from "../clustering/sparse-matrix.js";
import { ValidationError } from "../errors.js";
import { isParallel, type ParallelRunner, runTasks } from "../parallel.js";
import { TRAINING_DEFAULTS } from "../settings.js";
import { type EaseWeights, easeWeights } from "./ease-weights.js";

/** Each movie's top neighbours, CSR-style: movie i's are at offsets[i] .. offsets[i + 1] - 1, best first. */
export interface ItemNeighbours {
  /** Movies with at least one favourite, ascending. */
  readonly movieIds: Int32Array;
  /** favourites[i]: how many people favourited movieIds[i]. */
  readonly favourites: Int32Array;
  readonly offsets: Int32Array;
  /** Neighbour movieIds, by similarity descending, then movieId ascending. */
  readonly neighbours: Int32Array;
  /** The similarity weight of each neighbour, non-zero; negative only with `ease-signed`, after the positive. */
  readonly similarities: Float32Array;
  /** How many people favourited both the movie and this neighbour. */
  readonly together: Int32Array;
}

/** How neighbours are weighted (see the file comment). */
export type NeighbourSimilarity =
  | { readonly kind: "cosine" }
  | { readonly kind: "rp3beta"; readonly alpha: number; readonly beta: number }
  | {
      /**
       * Signed EASE weights among the `easeMovies` most favourited movies (scaled by the mean of the rows'
       * largest absolute weight), rp3beta / max(rp3beta in the row) x `rp3Share` for every other pair; the
       * largest absolute weights are kept.
       */
      readonly kind: "ease-signed";
      readonly alpha: number;
      readonly beta: number;
      readonly lambda: number;
      readonly easeMovies: number;
      readonly rp3Share: number;
    };

/** Options of {@link itemNeighbours}. */
export interface ItemNeighbourOptions {
  /** Neighbours kept per movie. */
  readonly perMovie: number;
  readonly similarity: NeighbourSimilarity;
}

/**
 * A favourite's neighbours as ranking reads them: three parallel arrays, one entry per neighbour. Packed, not a
 * Map of objects: a warm API instance caches thousands of lists, and at 200 neighbours a list of objects each
 * made the cache ~20 KB per movie of long-lived objects that every major GC walks (3,000 cached movies: 59 MB
 * of heap, full GCs of 42-56 ms against 3-10 ms packed, measured on the build machine).
 */
export interface NeighbourList {
  readonly movieIds: ArrayLike<number>;
  /** The similarity weights (ItemNeighbours.similarities). */
  readonly weights: ArrayLike<number>;
  /** People who favourited both movies. */
  readonly together: ArrayLike<number>;
}

/** What every chunk of the neighbour computation shares: the favourites matrix by user and by movie. */
export interface NeighbourShared {
  readonly rows: number;
  readonly cols: number;
  readonly perMovie: number;
  readonly similarity: NeighbourSimilarity;
  /** With "ease-signed": the EASE weights of the most favourited movies. */
  readonly ease: EaseWeights | null;
  /** With "ease-signed": 1 / the mean over EASE rows of the row's largest absolute weight. */
  readonly easeScale: number;
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
  /** Co-favourite count of each neighbour. */
  readonly together: Int32Array;
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

/** Kernel "neighbour-chunk": each column's top `perMovie` neighbours, for columns from..to-1. */
export function neighbourChunk(shared: NeighbourShared, range: readonly [number, number]): NeighbourChunk {
  const { rows, cols, perMovie, similarity, ease, easeScale, rowPtr, colIdx, colPtr, usersOf } = shared;
  const signed = similarity.kind === "ease-signed";
  const [from, to] = range;
  const rp3 = similarity.kind === "cosine" ? undefined : similarity;
  // rp3beta: each person's step weight favourites(u)^-alpha, and each movie's penalty favourites(b)^-beta.
  const userStep = new Float64Array(rp3 ? rows : 0);
  const moviePenalty = new Float64Array(rp3 ? cols : 0);
  if (rp3) {
    for (let i = 0; i < rows; i++) userStep[i] = (rowPtr[i + 1]! - rowPtr[i]!) ** -rp3.alpha;
    for (let j = 0; j < cols; j++) moviePenalty[j] = (colPtr[j + 1]! - colPtr[j]!) ** -rp3.beta;
  }
  const co = new Int32Array(cols);
  const walk = new Float64Array(rp3 ? cols : 0);
  const touched = new Int32Array(cols);
  const counts = new Int32Array(to - from);
  const columns: number[] = [];
  const similarities: number[] = [];
  const together: number[] = [];
  // Up to SMALL_LIST neighbours: insertion into a short sorted list; more: sort the movie's candidates.
  const topSim = new Float64Array(Math.min(perMovie, cols));
  const topIdx = new Int32Array(Math.min(perMovie, cols));
  const allSim = new Float64Array(perMovie > SMALL_LIST || signed ? cols : 0);
  const order: number[] = [];
  // ease-signed: a bounded heap of the largest absolute weights; its root is the worst kept (smallest |weight|,
  // then the larger column).
  const heapAbs = new Float64Array(signed ? Math.min(perMovie, cols) : 0);
  const heapIdx = new Int32Array(heapAbs.length);
  for (let a = from; a < to; a++) {
    let touchedCount = 0;
    for (let p = colPtr[a]!; p < colPtr[a + 1]!; p++) {
      const user = usersOf[p]!;
      const step = rp3 ? userStep[user]! : 0;
      for (let e = rowPtr[user]!; e < rowPtr[user + 1]!; e++) {
        const b = colIdx[e]!;
        if (b === a) continue;
        if (co[b] === 0) touched[touchedCount++] = b;
        co[b]!++;
        if (rp3) walk[b]! += step;
      }
    }
    const countA = colPtr[a + 1]! - colPtr[a]!;
    let scaleA = rp3 ? countA ** -rp3.alpha : 0;
    // ease-signed: EASE where both movies are covered, else rp3beta divided by its row maximum x rp3Share.
    const easeRow = ease && ease.slot[a]! >= 0 ? ease.slot[a]! * ease.n : -1;
    if (signed) {
      let maxWalk = 0;
      for (let t = 0; t < touchedCount; t++) {
        const b = touched[t]!;
        maxWalk = Math.max(maxWalk, walk[b]! * moviePenalty[b]!);
      }
      scaleA = maxWalk > 0 ? similarity.rp3Share / maxWalk : 0;
    }
    const weightOf = (b: number): number => {
      if (!rp3) return Math.fround(co[b]! / Math.sqrt(countA * (colPtr[b + 1]! - colPtr[b]!)));
      if (easeRow >= 0 && ease!.slot[b]! >= 0) {
        return Math.fround(easeScale * ease!.weights[easeRow + ease!.slot[b]!]!);
      }
      return Math.fround(scaleA * walk[b]! * moviePenalty[b]!);
    };
    let kept = 0;
    if (signed) {
      // The largest absolute weights (ties to the smaller column), stored by weight descending. Selected with
      // a bounded heap: sorting all of a movie's co-favourited movies (up to ~59,000 at 25M ratings) for every
      // movie made the 25M neighbour pass take 960 s instead of about 90 s.
      let size = 0;
      for (let t = 0; t < touchedCount; t++) {
        const b = touched[t]!;
        const weight = weightOf(b);
        if (weight === 0) continue;
        allSim[b] = weight;
        const abs = Math.abs(weight);
        if (size < heapAbs.length) {
          heapPush(heapAbs, heapIdx, size++, abs, b);
        } else if (abs > heapAbs[0]! || (abs === heapAbs[0]! && b < heapIdx[0]!)) {
          heapReplaceRoot(heapAbs, heapIdx, size, abs, b);
        }
      }
      kept = size;
      order.length = 0;
      for (let t = 0; t < size; t++) order.push(heapIdx[t]!);
      order.sort((x, y) => allSim[y]! - allSim[x]! || x - y);
      for (let t = 0; t < kept; t++) {
        topIdx[t] = order[t]!;
        topSim[t] = allSim[order[t]!]!;
      }
    } else if (perMovie > SMALL_LIST) {
      order.length = 0;
      for (let t = 0; t < touchedCount; t++) {
        const b = touched[t]!;
        allSim[b] = weightOf(b);
        if (allSim[b]! > 0) order.push(b);
      }
      order.sort((x, y) => allSim[y]! - allSim[x]! || x - y);
      kept = Math.min(perMovie, order.length);
      for (let t = 0; t < kept; t++) {
        topIdx[t] = order[t]!;
        topSim[t] = allSim[order[t]!]!;
      }
    } else {
      // Bounded selection of the best `perMovie` (similarity descending, then movie index ascending): one
      // pass with insertion into a short sorted list, instead of sorting every co-favourited movie.
      for (let t = 0; t < touchedCount; t++) {
        const b = touched[t]!;
        const sim = weightOf(b);
        if (!(sim > 0)) continue;
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
    }
    for (let t = 0; t < kept; t++) {
      columns.push(topIdx[t]!);
      similarities.push(topSim[t]!);
      together.push(co[topIdx[t]!]!);
    }
    counts[a - from] = kept;
    for (let t = 0; t < touchedCount; t++) {
      co[touched[t]!] = 0;
      if (rp3) walk[touched[t]!] = 0;
    }
  }
  return {
    counts,
    columns: Int32Array.from(columns),
    similarities: Float64Array.from(similarities),
    together: Int32Array.from(together),
  };
}

/** Tasks per worker: small enough chunks that a worker finishing early takes another. */
const CHUNKS_PER_WORKER = 16;

/** Lists up to this long are selected by insertion; longer ones by sorting the movie's co-favourited movies. */
const SMALL_LIST = 128;

/** Production neighbours, chosen on ml-latest-small's validation folds (shared/domain/settings.ts). */
const DEFAULT_NEIGHBOUR_OPTIONS: ItemNeighbourOptions = {
  perMovie: TRAINING_DEFAULTS.neighbours.perMovie,
  similarity: TRAINING_DEFAULTS.neighbours.similarity,
};

/**
 * Computes every movie's top `perMovie` neighbours from a favourites matrix (buildFavouriteMatrix); with a parallel
 * runner, column ranges are spread over its workers (the same kernel, so the same result).
 */
export function itemNeighbours(
  matrix: SparseMatrix,
  options: ItemNeighbourOptions = DEFAULT_NEIGHBOUR_OPTIONS,
  parallel?: ParallelRunner,
): ItemNeighbours {
  const { perMovie, similarity } = options;
  if (!Number.isInteger(perMovie) || perMovie < 1) {
    throw new ValidationError("perMovie", `perMovie must be a positive integer, got ${perMovie}`);
  }
  if (similarity.kind !== "cosine" && !(similarity.alpha >= 0 && similarity.beta >= 0)) {
    throw new ValidationError("similarity", "rp3beta's alpha and beta must be non-negative numbers");
  }
  const ease =
    similarity.kind === "ease-signed"
      ? easeWeights(matrix, { lambda: similarity.lambda, maxMovies: similarity.easeMovies })
      : null;
  if (similarity.kind === "ease-signed" && !(similarity.rp3Share >= 0)) {
    throw new ValidationError("similarity", "ease-signed's rp3Share must be a non-negative number");
  }
  const easeScale = ease ? 1 / meanRowMaxAbs(ease) : 0;
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
  const favourites = new Int32Array(cols);
  for (let j = 0; j < cols; j++) favourites[j] = colPtr[j + 1]! - colPtr[j]!;
  const shared: NeighbourShared = {
    rows,
    cols,
    perMovie,
    similarity,
    ease,
    easeScale,
    rowPtr,
    colIdx,
    colPtr,
    usersOf,
  };
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
  const together = new Int32Array(total);
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
      together[start + t] = chunk.together[t]!;
    }
  }
  return { movieIds: matrix.colIds, favourites, offsets, neighbours, similarities, together };
}

/** The neighbours of the given movies (views into the index): movieId -> ids, weights and co-favourite counts. */
export function neighbourListsOf(
  index: ItemNeighbours,
  movieIds: Iterable<number>,
): Map<number, NeighbourList> {
  const out = new Map<number, NeighbourList>();
  for (const movieId of movieIds) {
    const i = binarySearch(index.movieIds, movieId);
    if (i < 0) continue;
    const from = index.offsets[i]!;
    const to = index.offsets[i + 1]!;
    out.set(movieId, {
      movieIds: index.neighbours.subarray(from, to),
      weights: index.similarities.subarray(from, to),
      together: index.together.subarray(from, to),
    });
  }
  return out;
}

/** How many people favourited the movie, from the neighbour index (0 when none did). */
export function favouritesOf(index: ItemNeighbours, movieId: number): number {
  const i = binarySearch(index.movieIds, movieId);
  return i < 0 ? 0 : index.favourites[i]!;
}

/** The mean over EASE rows of the row's largest absolute weight (1 when every weight is 0). */
function meanRowMaxAbs(ease: EaseWeights): number {
  let sum = 0;
  for (let s = 0; s < ease.n; s++) {
    let max = 0;
    for (let t = 0; t < ease.n; t++) max = Math.max(max, Math.abs(ease.weights[s * ease.n + t]!));
    sum += max;
  }
  return sum > 0 ? sum / ease.n : 1;
}

/** Ranking order of neighbours: higher similarity first, then the smaller column (movieId order). */
function better(sim: number, index: number, otherSim: number, otherIndex: number): boolean {
  return sim > otherSim || (sim === otherSim && index < otherIndex);
}

/** Whether heap entry i is worse than entry j: a smaller absolute weight, or the same and a larger column. */
function worse(abs: Float64Array, idx: Int32Array, i: number, j: number): boolean {
  return abs[i]! < abs[j]! || (abs[i] === abs[j] && idx[i]! > idx[j]!);
}

/** Swaps heap entries i and j. */
function swap(abs: Float64Array, idx: Int32Array, i: number, j: number): void {
  const a = abs[i]!;
  abs[i] = abs[j]!;
  abs[j] = a;
  const x = idx[i]!;
  idx[i] = idx[j]!;
  idx[j] = x;
}

/** Adds (value, column) as entry `size` of the heap whose root is its worst entry. */
function heapPush(abs: Float64Array, idx: Int32Array, size: number, value: number, column: number): void {
  abs[size] = value;
  idx[size] = column;
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(abs, idx, i, parent)) break;
    swap(abs, idx, i, parent);
    i = parent;
  }
}

/** Replaces the heap's worst entry (its root) with (value, column) and restores the heap. */
function heapReplaceRoot(
  abs: Float64Array,
  idx: Int32Array,
  size: number,
  value: number,
  column: number,
): void {
  abs[0] = value;
  idx[0] = column;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && worse(abs, idx, right, left) ? right : left;
    if (!worse(abs, idx, child, i)) break;
    swap(abs, idx, i, child);
    i = child;
  }
}
