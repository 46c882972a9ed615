import { describe, expect, it } from "vitest";
import { versionId } from "../../../functions/train-model/publish.js";
import { readTrigger } from "../../../functions/train-model/trigger.js";
import { reportKeys } from "../../../functions/train-model/write-report.js";

describe("readTrigger", () => {
  const s3 = (...keys: string[]) => ({ Records: keys.map((key) => ({ s3: { object: { key } } })) });

  it("runs for an S3 event naming the ratings object (URL-decoded, '+' is a space)", () => {
    expect(readTrigger(s3("input/my+ratings%2Bv2.csv"), "input/my ratings+v2.csv")).toEqual({
      kind: "run",
      trigger: "s3",
    });
  });

  it("skips an S3 event for another object, naming it", () => {
    expect(readTrigger(s3("input/movies.csv"), "input/ratings.csv")).toEqual({
      kind: "skip",
      reason: "S3 event for input/movies.csv, not the ratings object input/ratings.csv",
    });
    expect(readTrigger({ Records: [] }, "r.csv")).toEqual({
      kind: "skip",
      reason: "S3 event for no key, not the ratings object r.csv",
    });
  });

  it("tells a scheduled run from a manual invoke", () => {
    expect(readTrigger({ source: "aws.scheduler" }, "r.csv")).toEqual({ kind: "run", trigger: "schedule" });
    expect(readTrigger({}, "r.csv")).toEqual({ kind: "run", trigger: "manual" });
    expect(readTrigger(null, "r.csv")).toEqual({ kind: "run", trigger: "manual" });
  });
});

describe("versionId and reportKeys", () => {
  it("stamps the UTC time and the first 8 letters and digits of the run id", () => {
    expect(versionId(Date.UTC(2026, 10, 21, 6, 16, 0, 123), "ab12-cd34-ef56")).toBe(
      "20261121T061600Z-ab12cd34",
    );
  });

  it("puts the report beside the version under models/", () => {
    expect(reportKeys("v1")).toEqual({
      jsonKey: "models/v1/k-selection.json",
      svgKey: "models/v1/k-selection.svg",
    });
  });
});
