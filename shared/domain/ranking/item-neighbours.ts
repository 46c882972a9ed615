/**
 * Item neighbours: for each movie, the few movies most often favourited by the same people (cosine of the
 * two movies' favourite columns, co-favourites / sqrt(favourites(a) x favourites(b))). Ranking blends the
 * neighbours of a user's own favourites into the group's taste; computed once per training run.
 * Cost: sum over users of favourites^2 additions, and a bounded top-N selection per movie.
 */
import { ValidationError } from "../errors.js";
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

/** Computes every movie's top `perMovie` neighbours from the favourites of a ratings table. */
export function itemNeighbours(table: RatingsTable, perMovie = DEFAULT_NEIGHBOURS_PER_MOVIE): ItemNeighbours {
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

  const co = new Int32Array(cols);
  const touched = new Int32Array(cols);
  const offsets = new Int32Array(cols + 1);
  const neighbours: number[] = [];
  const similarities: number[] = [];
  const topSim = new Float64Array(perMovie);
  const topIdx = new Int32Array(perMovie);
  for (let a = 0; a < cols; a++) {
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
      neighbours.push(matrix.colIds[topIdx[t]!]!);
      similarities.push(topSim[t]!);
    }
    offsets[a + 1] = neighbours.length;
    for (let t = 0; t < touchedCount; t++) co[touched[t]!] = 0;
  }
  return {
    movieIds: matrix.colIds,
    offsets,
    neighbours: Int32Array.from(neighbours),
    similarities: Float32Array.from(similarities),
  };
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
