/**
 * Adjusted Rand index (Hubert and Arabie 1985): agreement of two partitions of the same items, 1 for
 * identical partitions (whatever the labels), about 0 for independent ones. Used to check that clustering
 * recovers the taste groups planted in generated data.
 */
import { ValidationError } from "../errors.js";

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * ARI of two labellings: labelsA[i] and labelsB[i] are item i's labels (any integers). Both partitions
 * all-in-one or all-singletons (no pair structure to agree on) give 1 when they are equal.
 */
export function adjustedRandIndex(labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): number {
  if (labelsA.length !== labelsB.length) {
    throw new ValidationError(
      "labels",
      `both labellings must cover the same items (${labelsA.length} and ${labelsB.length} labels)`,
    );
  }
  const n = labelsA.length;
  const cells = new Map<string, number>();
  const rowsA = new Map<number, number>();
  const colsB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const a = labelsA[i]!;
    const b = labelsB[i]!;
    const cell = `${a},${b}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    rowsA.set(a, (rowsA.get(a) ?? 0) + 1);
    colsB.set(b, (colsB.get(b) ?? 0) + 1);
  }
  let index = 0;
  for (const count of cells.values()) index += pairs(count);
  let sumA = 0;
  for (const count of rowsA.values()) sumA += pairs(count);
  let sumB = 0;
  for (const count of colsB.values()) sumB += pairs(count);
  const total = pairs(n);
  const expected = total === 0 ? 0 : (sumA * sumB) / total;
  const maximum = (sumA + sumB) / 2;
  if (maximum === expected) return index === maximum ? 1 : 0;
  return (index - expected) / (maximum - expected);
}
