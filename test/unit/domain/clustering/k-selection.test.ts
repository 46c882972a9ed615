import { describe, expect, it } from "vitest";
import { renderElbowSvg } from "../../../../shared/domain/clustering/elbow-svg.js";
import {
  findKnee,
  fixedKReport,
  judgeKnee,
  sampleIndices,
  selectK,
  silhouette,
  silhouetteSample,
} from "../../../../shared/domain/clustering/k-selection.js";
import type { KCandidate, KSelectionReport } from "../../../../shared/domain/clustering/model.js";
import { sparseFromDense } from "../../../helpers/matrix-fixtures.js";

const ks = [2, 3, 4, 5, 6, 7, 8];
const elbow = [100, 50, 20, 18, 17, 16, 15];
const straight = [100, 90, 80, 70, 60, 50, 40];

function candidates(wcss: readonly number[], silhouetteAt: number | null): KCandidate[] {
  return ks.map((k, i) => ({ k, wcss: wcss[i]!, silhouette: silhouetteAt }));
}

describe("findKnee", () => {
  it("finds the elbow of a clear curve, with its distance from the chord", () => {
    // Normalised: x = (k - 2) / 6, y = (w - 15) / 85; at k = 4: 1 - 1/3 - 5/85 = 0.6078...
    const knee = findKnee(ks, elbow);
    expect(knee?.k).toBe(4);
    expect(knee?.strength).toBeCloseTo(1 - 2 / 6 - 5 / 85, 12);
  });

  it("gives strength 0 on a straight line", () => {
    expect(findKnee(ks, straight)?.strength).toBeCloseTo(0, 12);
  });

  it("gives null with fewer than 3 points or a curve that does not fall", () => {
    expect(findKnee([2, 3], [10, 5])).toBeNull();
    expect(findKnee([2, 3, 4], [5, 6, 7])).toBeNull();
  });
});

describe("judgeKnee", () => {
  it("is clear on a clear elbow that restarts agree on and clusters that separate", () => {
    const report = judgeKnee(candidates(elbow, 0.6), [elbow, elbow.map((w) => w + 1)]);
    expect(report).toMatchObject({ rule: "knee", chosenK: 4, confidence: "clear" });
    expect(report.explanation).toContain("k = 4 is the knee of WCSS over k = 2..8");
  });

  it("says none on a straight line", () => {
    const report = judgeKnee(candidates(straight, 0.6), [straight]);
    expect(report.confidence).toBe("none");
    expect(report.explanation).toContain("no real elbow");
  });

  it("is weak when the silhouette says the clusters barely separate", () => {
    expect(judgeKnee(candidates(elbow, 0.02), [elbow]).confidence).toBe("weak");
  });

  it("is weak when single restarts put the knee elsewhere", () => {
    const late = [100, 95, 90, 85, 80, 20, 15];
    const report = judgeKnee(candidates(elbow, 0.6), [elbow, late]);
    expect(report.confidence).toBe("weak");
    expect(report.explanation).toContain("single restarts put it at k = 4, 7");
  });
});

describe("silhouette", () => {
  it("matches the hand-computed value on four points on a line", () => {
    // Rows (1), (2), (4), (5) as 1-d values; clusters {1, 2} and {4, 5}. For point 1: a = 1, b = (3 + 4) / 2.
    const matrix = sparseFromDense([[1], [2], [4], [5]]);
    const sample = silhouetteSample(matrix, "euclidean", 4, 1);
    const labels = Int32Array.from([0, 0, 1, 1]);
    const s1 = (3.5 - 1) / 3.5;
    const s2 = (2.5 - 1) / 2.5;
    expect(silhouette(sample, labels, 2)).toBeCloseTo((s1 + s2 + s2 + s1) / 4, 12);
    expect(silhouette(sample, Int32Array.from([0, 0, 0, 0]), 2)).toBeNull();
  });

  it("samples distinct indices, seeded", () => {
    const a = sampleIndices(100, 10, 7);
    expect(new Set(a).size).toBe(10);
    expect(Array.from(a)).toEqual(Array.from(sampleIndices(100, 10, 7)));
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(sampleIndices(3, 10, 7))).toEqual([0, 1, 2]);
  });
});

describe("selectK", () => {
  // Three groups of 8 users; each group favours 4 of its own 5 movies, so k = 3 separates them perfectly.
  const dense = Array.from({ length: 24 }, (_, i) => {
    const group = Math.floor(i / 8);
    return Array.from({ length: 15 }, (_, m) => (Math.floor(m / 5) === group && m % 5 !== i % 5 ? 1 : 0));
  });

  it("chooses k = 3 with a clear elbow on three planted groups", () => {
    const seen: number[] = [];
    const report = selectK(sparseFromDense(dense), {
      seed: 3,
      kRange: [2, 8],
      geometry: "cosine",
      restarts: 3,
      onCandidate: (c) => seen.push(c.k),
    });
    expect(seen).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(report.rule).toBe("knee");
    expect(report.chosenK).toBe(3);
    expect(report.confidence).toBe("clear");
    expect(report.candidates.find((c) => c.k === 3)!.silhouette!).toBeGreaterThan(0.5);
  });

  it("can choose by silhouette instead", () => {
    const report = selectK(sparseFromDense(dense), {
      seed: 3,
      kRange: [2, 6],
      rule: "silhouette",
      restarts: 3,
    });
    expect(report).toMatchObject({ rule: "silhouette", chosenK: 3, confidence: "clear" });
  });

  it("caps the range by the number of users", () => {
    const report = selectK(sparseFromDense(dense.slice(0, 4)), { seed: 1, kRange: [2, 30] });
    expect(report.candidates.map((c) => c.k)).toEqual([2, 3, 4]);
  });
});

describe("renderElbowSvg", () => {
  const report: KSelectionReport = {
    ...judgeKnee(candidates(elbow, 0.3), [elbow]),
    explanation: 'Chosen <k> & "quoted"',
  };

  it("marks the chosen k and escapes text", () => {
    const svg = renderElbowSvg(report);
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg).toContain("chosen k = 4 (clear)");
    expect(svg).toContain("<desc>Chosen &lt;k&gt; &amp; &quot;quoted&quot;</desc>");
    expect(svg).not.toContain("<k>");
    expect((svg.match(/<polyline /g) ?? []).length).toBe(2);
    expect((svg.match(/<circle /g) ?? []).length).toBe(7);
  });

  it("is well-formed: every opened tag is closed in order", () => {
    const svg = renderElbowSvg(report);
    const stack: string[] = [];
    for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (selfClosing === "/") continue;
      if (closing === "/") expect(stack.pop()).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
    expect(svg.replace(/<[^>]*>/g, "")).not.toMatch(/[<>]/);
  });

  it("draws a fixed-k report with a single point", () => {
    const svg = renderElbowSvg(fixedKReport(12, 345.5, null));
    expect(svg).toContain("chosen k = 12 (clear)");
    expect((svg.match(/<polyline /g) ?? []).length).toBe(1);
  });
});
