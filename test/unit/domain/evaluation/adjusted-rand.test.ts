import { describe, expect, it } from "vitest";
import { adjustedRandIndex } from "../../../../shared/domain/evaluation/adjusted-rand.js";

describe("adjustedRandIndex", () => {
  it("matches the hand-computed value on a small contingency table", () => {
    // Cells (0,0)=2, (1,1)=1, (1,2)=1: index 1; row pairs 1+1=2; column pairs 1; C(4,2)=6.
    // expected = 2*1/6 = 1/3; max = (2+1)/2 = 3/2; ARI = (1 - 1/3) / (3/2 - 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
  });

  it("is 1 for the same partition under other labels, and negative for a worse-than-chance one", () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 9, 9, 7, 7])).toBe(1);
    // Cells all 1: index 0; rows 1+1=2; cols 1+1=2; C(4,2)=6: expected 2/3, max 2: ARI = -2/3 / (4/3) = -1/2.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it("handles degenerate partitions and rejects labellings of different lengths", () => {
    expect(adjustedRandIndex([1, 1, 1], [4, 4, 4])).toBe(1);
    expect(adjustedRandIndex([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(adjustedRandIndex([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(() => adjustedRandIndex([1, 2], [1])).toThrow(/same items/);
  });
});
