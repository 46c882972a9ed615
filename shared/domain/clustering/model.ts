/**
 * The trained model: what the training core produces, what storage writes as one model version, and what
 * the evaluation harness ranks from. Plain data, typed arrays for the large parts; no I/O.
 */
import type { ParallelRunner } from "../parallel.js";

/** How user rows are compared: Euclidean on binary rows (the original method) or cosine (L2-normalised rows). */
export type Geometry = "euclidean" | "cosine";

/** One k tried during k selection. `silhouette` is sampled; null when it was not computed. */
export interface KCandidate {
  readonly k: number;
  readonly wcss: number;
  readonly silhouette: number | null;
}

/** How k was chosen, and how clear the choice was. */
export interface KSelectionReport {
  /** `fixed`: given in config; `knee`: knee of the WCSS curve; `silhouette`: best sampled silhouette. */
  readonly rule: "fixed" | "knee" | "silhouette";
  readonly chosenK: number;
  readonly candidates: readonly KCandidate[];
  /** `clear`, `weak` or `none` (for example a nearly straight WCSS curve has no real elbow). */
  readonly confidence: "clear" | "weak" | "none";
  /** One or two sentences a person can read, saying what was chosen and why. */
  readonly explanation: string;
}

/** One taste cluster after folding: its members and each movie's count of members who favourited it. */
export interface ClusterCounts {
  readonly clusterId: number;
  /** Number of members (users assigned to the cluster). */
  readonly size: number;
  /** Movies with at least one member favourite, sorted by count descending, then movieId ascending. */
  readonly movieIds: Int32Array;
  /** counts[i] is the number of members who favourited movieIds[i]; always >= 1. */
  readonly counts: Int32Array;
}

/** Parameters a training run used. */
export interface TrainingParams {
  readonly k: number;
  readonly seed: number;
  readonly geometry: Geometry;
  readonly favouriteThreshold: number;
  readonly minClusterSize: number;
  readonly restarts: number;
  readonly maxIterations: number;
}

/** Counts of what the training input held. */
export interface TrainingStats {
  readonly ratingRows: number;
  readonly badRows: number;
  readonly users: number;
  readonly movies: number;
  readonly favourites: number;
}

/** A complete trained model. Cluster ids are 0..clusters.length-1 after folding (renumbered densely). */
export interface TrainedModel {
  readonly params: TrainingParams;
  readonly kSelection: KSelectionReport;
  /** Final k-means inertia (within-cluster sum of squares) before folding. */
  readonly inertia: number;
  readonly iterations: number;
  readonly stats: TrainingStats;
  /** userIds[i] is a user with at least one favourite; clusterOf[i] is that user's cluster. Sorted by userId. */
  readonly userIds: Int32Array;
  readonly clusterOf: Int32Array;
  readonly clusters: readonly ClusterCounts[];
  /** Every movie's favourite count over all users, sorted like ClusterCounts. */
  readonly global: { readonly users: number; readonly movieIds: Int32Array; readonly counts: Int32Array };
  /**
   * Soft membership: for user i, membershipClusters[i * membershipWidth + j] (j < membershipWidth) are the
   * user's nearest clusters, strongest first (the first is clusterOf[i]), with weights in membershipWeights.
   * Unused slots hold -1 and weight 0. membershipWidth is 1 when soft membership is off.
   */
  readonly membershipWidth: number;
  readonly membershipClusters: Int32Array;
  readonly membershipWeights: Float32Array;
  /** Per-movie rating statistics over all rating rows (any value), for the popular-movies list. */
  readonly movieRatings: {
    readonly movieIds: Int32Array;
    readonly counts: Int32Array;
    readonly means: Float32Array;
  };
}

/** Reported while training runs, for progress output and logs. */
export type TrainingProgress =
  | { readonly stage: "matrix"; readonly users: number; readonly movies: number; readonly favourites: number }
  | {
      readonly stage: "k-selection";
      readonly k: number;
      readonly wcss: number;
      readonly silhouette: number | null;
    }
  /** The final fit starts (after the k sweep when k is "auto"). */
  | { readonly stage: "fitting"; readonly k: number }
  | {
      readonly stage: "iteration";
      readonly restart: number;
      readonly iteration: number;
      readonly inertia: number;
    }
  | { readonly stage: "done"; readonly k: number; readonly inertia: number };

/** Options of a training run; every field but `seed` has a default. */
export interface TrainOptions {
  /** A fixed k, or "auto" to choose it over `kRange`. Every default here is TRAINING_DEFAULTS (domain/settings.ts). */
  readonly k?: number | "auto";
  /** Inclusive range of k tried when k is "auto". */
  readonly kRange?: readonly [number, number];
  readonly seed: number;
  /** Default "cosine" (measured better than Euclidean on binary rows). */
  readonly geometry?: Geometry;
  /** Clusters with fewer members are folded. Default 6. */
  readonly minClusterSize?: number;
  readonly restarts?: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Soft-membership slots per user: own cluster plus nearest others. Default 3; 1 turns soft membership off. */
  readonly membershipWidth?: number;
  /** Exponent on the 1/d^2 membership weights (larger favours the nearest cluster). Default 8. */
  readonly membershipSharpness?: number;
  /** Recorded in params only: the threshold the parser used to flag favourites. Default 4. */
  readonly favouriteThreshold?: number;
  /** Malformed rows the parser skipped, recorded in stats. Default 0. */
  readonly badRows?: number;
  /** The k sweep when k is "auto": rule, restarts and iterations per k, users clustered, silhouette sample. */
  readonly sweep?: {
    readonly rule?: "knee" | "silhouette";
    readonly restarts?: number;
    readonly maxIterations?: number;
    readonly maxUsers?: number;
    readonly silhouetteSize?: number;
  };
  readonly onProgress?: (event: TrainingProgress) => void;
  /** Spreads the k sweep's k values and the final fit's restarts over worker threads (identical results). */
  readonly parallel?: ParallelRunner;
}
