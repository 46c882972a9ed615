/**
 * The model file `npm run train` writes: a TrainedModel as JSON, typed arrays as plain number arrays.
 *
 * Shape (version 1): `{ format: "cinecluster-model", version: 1, params, kSelection, inertia, iterations,
 * stats, userIds, clusterOf, clusters: [{ clusterId, size, movieIds, counts }], global: { users, movieIds,
 * counts }, membershipWidth, membershipClusters, membershipWeights, movieRatings: { movieIds, counts, means } }`
 * with the meaning of each field as in TrainedModel (shared/domain/clustering/model.ts). Float32 values are written
 * with the fewest digits that read back to the same float32, so a round trip is exact.
 */
import { ValidationError } from "../errors.js";
import type { TrainedModel } from "./model.js";

export const MODEL_JSON_FORMAT = "cinecluster-model";
export const MODEL_JSON_VERSION = 1;

type Plain<T> = T extends Int32Array | Float32Array | Uint32Array | Uint8Array
  ? number[]
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Plain<T[K]> }
      : T;

/** The JSON form of a TrainedModel (see the module comment). */
export type ModelJson = {
  format: typeof MODEL_JSON_FORMAT;
  version: typeof MODEL_JSON_VERSION;
} & Plain<TrainedModel>;

/** The shortest decimal that reads back to the same float32 (0.1f prints as 0.1, not 0.10000000149011612). */
function float32(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return Number(value.toPrecision(9));
}

const ints = (values: Int32Array): number[] => Array.from(values);
const floats = (values: Float32Array): number[] => Array.from(values, float32);

/** Converts a model to its JSON form (typed arrays to plain arrays); JSON.stringify the result to write it. */
export function modelToJson(model: TrainedModel): ModelJson {
  return {
    format: MODEL_JSON_FORMAT,
    version: MODEL_JSON_VERSION,
    params: { ...model.params },
    kSelection: {
      ...model.kSelection,
      candidates: model.kSelection.candidates.map((candidate) => ({ ...candidate })),
    },
    inertia: model.inertia,
    iterations: model.iterations,
    stats: { ...model.stats },
    userIds: ints(model.userIds),
    clusterOf: ints(model.clusterOf),
    clusters: model.clusters.map((cluster) => ({
      clusterId: cluster.clusterId,
      size: cluster.size,
      movieIds: ints(cluster.movieIds),
      counts: ints(cluster.counts),
    })),
    global: {
      users: model.global.users,
      movieIds: ints(model.global.movieIds),
      counts: ints(model.global.counts),
    },
    membershipWidth: model.membershipWidth,
    membershipClusters: ints(model.membershipClusters),
    membershipWeights: floats(model.membershipWeights),
    movieRatings: {
      movieIds: ints(model.movieRatings.movieIds),
      counts: ints(model.movieRatings.counts),
      means: floats(model.movieRatings.means),
    },
  };
}

function intArray(value: unknown, field: string): Int32Array {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) {
    throw new ValidationError(field, `model file: ${field} must be an array of whole numbers`);
  }
  return Int32Array.from(value as number[]);
}

function floatArray(value: unknown, field: string): Float32Array {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) {
    throw new ValidationError(field, `model file: ${field} must be an array of numbers`);
  }
  return Float32Array.from(value as number[]);
}

/** Reads a parsed model file back into a TrainedModel; throws ValidationError naming the field that is wrong. */
export function modelFromJson(json: unknown): TrainedModel {
  const data = json as Partial<ModelJson> | null;
  if (typeof data !== "object" || data === null || data.format !== MODEL_JSON_FORMAT) {
    throw new ValidationError(
      "format",
      `not a cinecluster model file (format must be "${MODEL_JSON_FORMAT}")`,
    );
  }
  if (data.version !== MODEL_JSON_VERSION) {
    throw new ValidationError(
      "version",
      `model file version ${String(data.version)} is not ${MODEL_JSON_VERSION}`,
    );
  }
  if (
    !data.params ||
    !data.kSelection ||
    !data.stats ||
    !Array.isArray(data.clusters) ||
    !data.global ||
    !data.movieRatings
  ) {
    throw new ValidationError(
      "model",
      "model file lacks params, kSelection, stats, clusters, global or movieRatings",
    );
  }
  const userIds = intArray(data.userIds, "userIds");
  const clusterOf = intArray(data.clusterOf, "clusterOf");
  if (clusterOf.length !== userIds.length) {
    throw new ValidationError("clusterOf", "model file: clusterOf must have one entry per userIds entry");
  }
  return {
    params: data.params,
    kSelection: data.kSelection,
    inertia: Number(data.inertia),
    iterations: Number(data.iterations),
    stats: data.stats,
    userIds,
    clusterOf,
    clusters: data.clusters.map((cluster, i) => ({
      clusterId: cluster.clusterId,
      size: cluster.size,
      movieIds: intArray(cluster.movieIds, `clusters[${i}].movieIds`),
      counts: intArray(cluster.counts, `clusters[${i}].counts`),
    })),
    global: {
      users: data.global.users,
      movieIds: intArray(data.global.movieIds, "global.movieIds"),
      counts: intArray(data.global.counts, "global.counts"),
    },
    membershipWidth: Number(data.membershipWidth),
    membershipClusters: intArray(data.membershipClusters, "membershipClusters"),
    membershipWeights: floatArray(data.membershipWeights, "membershipWeights"),
    movieRatings: {
      movieIds: intArray(data.movieRatings.movieIds, "movieRatings.movieIds"),
      counts: intArray(data.movieRatings.counts, "movieRatings.counts"),
      means: floatArray(data.movieRatings.means, "movieRatings.means"),
    },
  };
}
