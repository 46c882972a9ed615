import { describe, expect, it } from "vitest";
import type { TrainedModel } from "../../../../shared/domain/clustering/model.js";
import { modelFromJson, modelToJson } from "../../../../shared/domain/clustering/model-json.js";
import { ValidationError } from "../../../../shared/domain/errors.js";

const MODEL: TrainedModel = {
  params: {
    k: 2,
    seed: 42,
    geometry: "cosine",
    favouriteThreshold: 4,
    minClusterSize: 1,
    restarts: 1,
    maxIterations: 10,
  },
  kSelection: {
    rule: "fixed",
    chosenK: 2,
    candidates: [{ k: 2, wcss: 1.5, silhouette: null }],
    confidence: "clear",
    explanation: "k = 2 was fixed in config.",
  },
  inertia: 1.5,
  iterations: 3,
  stats: { ratingRows: 5, badRows: 0, users: 3, movies: 2, favourites: 4 },
  userIds: Int32Array.from([1, 2, 3]),
  clusterOf: Int32Array.from([0, 0, 1]),
  clusters: [
    { clusterId: 0, size: 2, movieIds: Int32Array.from([10, 20]), counts: Int32Array.from([2, 1]) },
    { clusterId: 1, size: 1, movieIds: Int32Array.from([20]), counts: Int32Array.from([1]) },
  ],
  global: { users: 3, movieIds: Int32Array.from([10, 20]), counts: Int32Array.from([2, 2]) },
  membershipWidth: 2,
  membershipClusters: Int32Array.from([0, 1, 0, -1, 1, 0]),
  membershipWeights: Float32Array.from([0.7, 0.3, 1, 0, 0.9, 0.1]),
  movieRatings: {
    movieIds: Int32Array.from([10, 20]),
    counts: Int32Array.from([2, 3]),
    means: Float32Array.from([4.5, 11 / 3]),
  },
};

describe("modelToJson / modelFromJson", () => {
  it("writes typed arrays as plain arrays, float32 values with their shortest digits", () => {
    const json = modelToJson(MODEL);
    expect(json.format).toBe("cinecluster-model");
    expect(json.version).toBe(1);
    expect(json.userIds).toEqual([1, 2, 3]);
    expect(json.clusters[0]).toEqual({ clusterId: 0, size: 2, movieIds: [10, 20], counts: [2, 1] });
    expect(json.membershipWeights).toEqual([0.7, 0.3, 1, 0, 0.9, 0.1]);
    expect(json.movieRatings.means).toEqual([4.5, 3.6666667]);
  });

  it("reads back exactly what it wrote, through JSON text", () => {
    const back = modelFromJson(JSON.parse(JSON.stringify(modelToJson(MODEL))));
    expect(back).toEqual(MODEL);
    expect(back.membershipWeights).toBeInstanceOf(Float32Array);
    expect(back.clusters[1]!.movieIds).toBeInstanceOf(Int32Array);
  });

  it("rejects a file that is not a model, naming what is wrong", () => {
    expect(() => modelFromJson({ format: "other" })).toThrow(ValidationError);
    expect(() => modelFromJson({ ...modelToJson(MODEL), version: 2 })).toThrow(
      "model file version 2 is not 1",
    );
    expect(() => modelFromJson({ ...modelToJson(MODEL), clusterOf: [0] })).toThrow(
      "model file: clusterOf must have one entry per userIds entry",
    );
    expect(() => modelFromJson({ ...modelToJson(MODEL), userIds: [1, "2", 3] })).toThrow(
      "model file: userIds must be an array of whole numbers",
    );
  });
});
