import { describe, expect, it } from "vitest";
import { niceAxis, renderElbowSvg } from "../../../../shared/domain/clustering/elbow-svg.js";
import type { KSelectionReport } from "../../../../shared/domain/clustering/model.js";

describe("niceAxis", () => {
  it("covers the data with round steps of 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceAxis(481.3, 529.8)).toEqual({ low: 480, high: 530, ticks: [480, 490, 500, 510, 520, 530] });
    expect(niceAxis(0.012, 0.031).ticks).toEqual([0.01, 0.015, 0.02, 0.025, 0.03, 0.035]);
    expect(niceAxis(0, 1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("widens an empty range instead of dividing by zero", () => {
    const axis = niceAxis(5, 5);
    expect(axis.low).toBeLessThan(5);
    expect(axis.high).toBeGreaterThan(5);
  });
});

describe("renderElbowSvg", () => {
  const report: KSelectionReport = {
    rule: "knee",
    chosenK: 9,
    confidence: "weak",
    explanation: "knee strength 0.32",
    candidates: [
      { k: 8, wcss: 529.8, silhouette: 0.031 },
      { k: 9, wcss: 505.1, silhouette: 0.024 },
      { k: 10, wcss: 481.3, silhouette: 0.012 },
    ],
  };

  it("labels the axes with round ticks that fit the data, never a fixed 0-0.5 silhouette axis", () => {
    const svg = renderElbowSvg(report);
    for (const tick of ["480", "490", "500", "530", "0.01", "0.025", "0.035"])
      expect(svg).toContain(`>${tick}</text>`);
    expect(svg).not.toContain(">0.5</text>");
    expect(svg).not.toContain(">481</text>");
  });
});
