import { describe, expect, it } from "vitest";
import { createTrainingConsole } from "../../../local/training-console.js";

describe("npm start's training console", () => {
  it("prints log attributes readably: fractions rounded, the run id left out", () => {
    const lines: string[] = [];
    const console = createTrainingConsole((line) => lines.push(line));
    console.begin();
    console.deps.log.info("model trained", { runId: "r1", k: 8, inertia: 505.6698780318997, rule: "knee" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}\[ +\d+\.\d s\] model trained \(k 8, inertia 505\.67, rule knee\)$/);
  });
});
