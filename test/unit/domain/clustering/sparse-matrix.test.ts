import { describe, expect, it } from "vitest";
import {
  buildFavouriteMatrix,
  permuteColumnsByPopularity,
  selectRows,
} from "../../../../shared/domain/clustering/sparse-matrix.js";
import { favouritesTable } from "../../../helpers/matrix-fixtures.js";

describe("buildFavouriteMatrix", () => {
  it("maps sparse ids to dense sorted indices and keeps only favourites", () => {
    const table = favouritesTable({ 7: [300000, 5], 2: [5], 1000: [42, 300000, 5] }, [
      [2, 99, 3.5],
      [50, 42, 1],
    ]);
    const matrix = buildFavouriteMatrix(table);
    expect(Array.from(matrix.rowIds)).toEqual([2, 7, 1000]);
    expect(Array.from(matrix.colIds)).toEqual([5, 42, 300000]);
    expect(matrix.rows).toBe(3);
    expect(matrix.cols).toBe(3);
    expect(matrix.nnz).toBe(6);
    expect(Array.from(matrix.rowPtr)).toEqual([0, 1, 3, 6]);
    expect(Array.from(matrix.colIdx)).toEqual([0, 0, 2, 0, 1, 2]);
    expect(matrix.values).toBeNull();
  });

  it("counts a repeated (user, movie) favourite once", () => {
    const table = favouritesTable({ 3: [9, 9, 4], 1: [9] });
    const matrix = buildFavouriteMatrix(table);
    expect(Array.from(matrix.rowPtr)).toEqual([0, 1, 3]);
    expect(Array.from(matrix.colIdx)).toEqual([1, 0, 1]);
    expect(matrix.nnz).toBe(3);
  });

  it("handles ids too large for the dense lookup by sorting", () => {
    const table = favouritesTable({ 2000000000: [1_999_999_999, 3], 5: [3] });
    const matrix = buildFavouriteMatrix(table);
    expect(Array.from(matrix.rowIds)).toEqual([5, 2_000_000_000]);
    expect(Array.from(matrix.colIds)).toEqual([3, 1_999_999_999]);
    expect(Array.from(matrix.colIdx)).toEqual([0, 0, 1]);
  });

  it("gives an empty matrix when nothing is a favourite", () => {
    const matrix = buildFavouriteMatrix(favouritesTable({}, [[1, 2, 3]]));
    expect(matrix.rows).toBe(0);
    expect(matrix.nnz).toBe(0);
    expect(Array.from(matrix.rowPtr)).toEqual([0]);
  });

  it("selects rows and renumbers columns by popularity", () => {
    // Movie 5 has 3 favourites, 42 and 300000 one each (ties keep the old order).
    const matrix = buildFavouriteMatrix(favouritesTable({ 7: [300000, 5], 2: [5], 1000: [42, 5] }));
    const sub = selectRows(matrix, Int32Array.from([0, 2]));
    expect(Array.from(sub.rowIds)).toEqual([2, 1000]);
    expect(Array.from(sub.rowPtr)).toEqual([0, 1, 3]);
    expect(Array.from(sub.colIdx)).toEqual([0, 0, 1]);
    const { matrix: permuted, order } = permuteColumnsByPopularity(matrix);
    expect(Array.from(order)).toEqual([0, 1, 2]);
    const reordered = permuteColumnsByPopularity(
      buildFavouriteMatrix(favouritesTable({ 1: [9], 2: [9, 3] })),
    );
    expect(Array.from(reordered.order)).toEqual([1, 0]);
    expect(Array.from(reordered.matrix.colIds)).toEqual([9, 3]);
    expect(Array.from(reordered.matrix.colIdx)).toEqual([0, 1, 0]);
    expect(permuted.nnz).toBe(matrix.nnz);
  });
});
