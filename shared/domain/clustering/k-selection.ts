/**
 * Choosing k: WCSS over a range of k with an automatic knee rule, a sampled silhouette, and a report that
 * says how clear the choice was. On MovieLens the WCSS curve is nearly straight and the silhouette about 0,
 * so the report must be able to say "no real elbow" instead of pretending.
 */

import { ValidationError } from "../errors.js";
import { isParallel, type ParallelRunner } from "../parallel.js";
import { TRAINING_DEFAULTS } from "../settings.js";
import { createRowSpace } from "./centroid-distances.js";
import { kmeans } from "./kmeans.js";
import type { Geometry, KCandidate, KSelectionReport } from "./model.js";
import { createRandom, fmix32 } from "./random.js";
import { type SparseMatrix, selectRows } from "./sparse-matrix.js";

/** A knee at least this far from the chord (normalised axes) is clear; below WEAK_KNEE there is none. */
const CLEAR_KNEE = 0.3;
/** Below this distance from the chord the WCSS curve counts as straight: no elbow at all. */
const WEAK_KNEE = 0.1;
/** A sampled silhouette below this at the chosen k means the clusters barely separate. */
const SEPARATED_SILHOUETTE = 0.1;

/** The knee of a decreasing curve, and how far it bends away from a straight line. */
export interface Knee {
  readonly k: number;
  /** Largest vertical distance from the chord to the curve, both axes scaled to 0..1: 0 straight, ~1 an L. */
  readonly strength: number;
}

/**
 * Kneedle-style knee: scale k and WCSS to 0..1 (first point (0, 1), last (1, 0)) and take the k where the
 * chord between the ends lies farthest above the curve (ties: the smaller k). Null with fewer than 3 points
 * or when WCSS does not fall from the first k to the last.
 */
export function findKnee(ks: readonly number[], wcss: readonly number[]): Knee | null {
  const n = ks.length;
  if (n < 3 || wcss.length !== n) return null;
  const first = wcss[0]!;
  const last = wcss[n - 1]!;
  const span = first - last;
  const width = ks[n - 1]! - ks[0]!;
  if (!(span > 0) || !(width > 0)) return null;
  let best: Knee | null = null;
  for (let i = 1; i < n - 1; i++) {
    const x = (ks[i]! - ks[0]!) / width;
    const y = (wcss[i]! - last) / span;
    const strength = 1 - x - y;
    if (best === null || strength > best.strength) best = { k: ks[i]!, strength };
  }
  return best !== null && best.strength > 0 ? best : { k: ks[0]!, strength: 0 };
}

/** Distances between a seeded sample of rows, computed once and reused for every k's silhouette. */
export interface SilhouetteSample {
  readonly rows: Int32Array;
  /** distances[a * n + b], Euclidean in the clustering's space (on unit rows for cosine). */
  readonly distances: Float64Array;
}

/** Seeded sample of `size` distinct indices in 0..n-1, ascending (all of them when size >= n). */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (size >= n) return all;
  const random = createRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + random.int(n - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, size).sort();
}

/** Pairwise distances of `size` seeded sample rows: O(size x sample nnz). */
export function silhouetteSample(
  matrix: SparseMatrix,
  geometry: Geometry,
  size: number,
  seed: number,
): SilhouetteSample {
  const space = createRowSpace(matrix, geometry);
  const { rowPtr, colIdx, values } = matrix;
  const rows = sampleIndices(matrix.rows, size, seed);
  const n = rows.length;
  const distances = new Float64Array(n * n);
  const dense = new Float64Array(matrix.cols);
  for (let a = 0; a < n; a++) {
    const ra = rows[a]!;
    for (let p = rowPtr[ra]!; p < rowPtr[ra + 1]!; p++)
      dense[colIdx[p]!] = (values === null ? 1 : values[p]!) * space.scale[ra]!;
    for (let b = a + 1; b < n; b++) {
      const rb = rows[b]!;
      let dot = 0;
      for (let p = rowPtr[rb]!; p < rowPtr[rb + 1]!; p++)
        dot += (values === null ? 1 : values[p]!) * dense[colIdx[p]!]!;
      const d = Math.sqrt(Math.max(0, space.norm2[ra]! + space.norm2[rb]! - 2 * dot * space.scale[rb]!));
      distances[a * n + b] = d;
      distances[b * n + a] = d;
    }
    for (let p = rowPtr[ra]!; p < rowPtr[ra + 1]!; p++) dense[colIdx[p]!] = 0;
  }
  return { rows, distances };
}

/**
 * Mean silhouette of the sample under the given assignments (of all rows): s = (b - a) / max(a, b) per
 * sampled row, 0 for a row alone in its cluster within the sample. Null when the sample spans < 2 clusters.
 */
export function silhouette(sample: SilhouetteSample, assignments: Int32Array, k: number): number | null {
  const n = sample.rows.length;
  const labels = Int32Array.from(sample.rows, (r) => assignments[r]!);
  const members = new Int32Array(k);
  for (const label of labels) members[label]!++;
  if (members.filter((m) => m > 0).length < 2) return null;
  const sums = new Float64Array(k);
  let total = 0;
  for (let a = 0; a < n; a++) {
    sums.fill(0);
    for (let b = 0; b < n; b++) sums[labels[b]!]! += sample.distances[a * n + b]!;
    const own = labels[a]!;
    if (members[own]! <= 1) continue;
    const inside = sums[own]! / (members[own]! - 1);
    let nearest = Infinity;
    for (let c = 0; c < k; c++)
      if (c !== own && members[c]! > 0) nearest = Math.min(nearest, sums[c]! / members[c]!);
    const scale = Math.max(inside, nearest);
    total += scale > 0 ? (nearest - inside) / scale : 0;
  }
  return total / n;
}

/** Options of {@link selectK}; every field but `seed` has a default. */
export interface KSelectionOptions {
  readonly seed: number;
  /** Inclusive range of k; default [2, 30], capped by the number of users. */
  readonly kRange?: readonly [number, number];
  readonly geometry?: Geometry;
  /** "knee" (default) picks the knee of WCSS; "silhouette" the k with the best sampled silhouette. */
  readonly rule?: "knee" | "silhouette";
  /** Restarts per k during the sweep (fewer than the final fit). Default 2; their knees are compared. */
  readonly restarts?: number;
  /** Lloyd iterations per k during the sweep. Default 20. */
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** The sweep clusters a seeded sample of at most this many users. Default 20,000. */
  readonly maxUsers?: number;
  /** Users in the silhouette sample. Default 1,000; 0 turns the silhouette off. */
  readonly silhouetteSize?: number;
  readonly onCandidate?: (candidate: KCandidate) => void;
  /** Spreads the k values over worker threads (identical results); absent: one k after another here. */
  readonly parallel?: ParallelRunner;
}

/** What every k of a sweep shares: the (sampled) matrix, the silhouette sample and the fit settings. */
export interface SweepShared {
  readonly sweep: SparseMatrix;
  readonly sample: SilhouetteSample | null;
  readonly geometry: Geometry;
  readonly seed: number;
  readonly restarts: number;
  readonly maxIterations: number;
  readonly tolerance: number;
}

/** One k of the sweep: WCSS of the best restart, each restart's WCSS, and the sampled silhouette. */
export interface SweepCandidate extends KCandidate {
  readonly restartInertias: readonly number[];
}

/** Kernel "k-sweep-candidate": fits one k of a sweep (seed + k) and scores it; independent of every other k. */
export function sweepCandidate(shared: SweepShared, k: number): SweepCandidate {
  const result = kmeans(shared.sweep, {
    k,
    seed: shared.seed + k,
    geometry: shared.geometry,
    restarts: shared.restarts,
    maxIterations: shared.maxIterations,
    tolerance: shared.tolerance,
  });
  return {
    k,
    wcss: result.inertia,
    silhouette: shared.sample === null || k < 2 ? null : silhouette(shared.sample, result.assignments, k),
    restartInertias: result.restartInertias,
  };
}

function round(value: number, digits: number): string {
  return value.toFixed(digits);
}

/**
 * Sweeps k over the range (a seeded k-means per k on at most `maxUsers` users) and chooses k by the rule.
 * Confidence of the knee rule: "none" when the curve stays within WEAK_KNEE of a straight line; "clear" when
 * the knee reaches CLEAR_KNEE, each restart's own curve puts its knee within 10% of the range of it, and
 * the silhouette there (when computed) is at least SEPARATED_SILHOUETTE; "weak" otherwise.
 */
export function selectK(matrix: SparseMatrix, options: KSelectionOptions): KSelectionReport {
  const geometry = options.geometry ?? TRAINING_DEFAULTS.geometry;
  const [lowWanted, highWanted] = options.kRange ?? TRAINING_DEFAULTS.kRange;
  if (
    !Number.isInteger(lowWanted) ||
    !Number.isInteger(highWanted) ||
    lowWanted < 1 ||
    highWanted < lowWanted
  )
    throw new ValidationError(
      "kRange",
      `kRange must be two integers 1 <= low <= high, got ${lowWanted}..${highWanted}`,
    );
  const high = Math.min(highWanted, matrix.rows);
  const low = Math.min(lowWanted, high);
  const restarts = options.restarts ?? TRAINING_DEFAULTS.sweep.restarts;
  const maxUsers = options.maxUsers ?? TRAINING_DEFAULTS.sweep.maxUsers;
  const sampled = matrix.rows > maxUsers;
  const sweep = sampled
    ? selectRows(matrix, sampleIndices(matrix.rows, maxUsers, fmix32(options.seed ^ 0x5eed)))
    : matrix;
  const silhouetteSize = options.silhouetteSize ?? TRAINING_DEFAULTS.sweep.silhouetteSize;
  const sample =
    silhouetteSize > 0
      ? silhouetteSample(sweep, geometry, silhouetteSize, fmix32(options.seed ^ 0x51))
      : null;
  const shared: SweepShared = {
    sweep,
    sample,
    geometry,
    seed: options.seed,
    restarts,
    maxIterations: options.maxIterations ?? TRAINING_DEFAULTS.sweep.maxIterations,
    tolerance: options.tolerance ?? TRAINING_DEFAULTS.tolerance,
  };
  const ks = Array.from({ length: high - low + 1 }, (_, i) => low + i);
  const candidates: KCandidate[] = [];
  const perRestart: number[][] = Array.from({ length: restarts }, () => []);
  const accept = (result: SweepCandidate) => {
    result.restartInertias.forEach((inertia, r) => {
      perRestart[r]!.push(inertia);
    });
    const candidate = { k: result.k, wcss: result.wcss, silhouette: result.silhouette };
    candidates.push(candidate);
    options.onCandidate?.(candidate);
  };
  // In parallel the candidates arrive together at the end; in this thread each one as soon as it is fitted.
  if (isParallel(options.parallel))
    options.parallel
      .run<SweepShared, number, SweepCandidate>("k-sweep-candidate", shared, ks)
      .forEach(accept);
  else for (const k of ks) accept(sweepCandidate(shared, k));
  const on = sampled
    ? ` on a sample of ${maxUsers.toLocaleString("en")} of ${matrix.rows.toLocaleString("en")} users`
    : "";
  if ((options.rule ?? TRAINING_DEFAULTS.sweep.rule) === "silhouette") return bySilhouette(candidates, on);
  return judgeKnee(candidates, perRestart, on);
}

/**
 * The knee rule and its confidence (see {@link selectK}) from the sweep's candidates (ascending k) and each
 * restart's own WCSS curve; `on` is appended to the explanation (for example the sample it was run on).
 */
export function judgeKnee(
  candidates: readonly KCandidate[],
  perRestart: readonly (readonly number[])[],
  on = "",
): KSelectionReport {
  const ks = candidates.map((c) => c.k);
  const low = ks[0]!;
  const high = ks.at(-1)!;
  const knee = findKnee(
    ks,
    candidates.map((c) => c.wcss),
  );
  if (knee === null) {
    const k = ks[0]!;
    return {
      rule: "knee",
      chosenK: k,
      candidates,
      confidence: "none",
      explanation: `Only k = ${low}..${high} could be tried${on}, or WCSS did not fall over the range: no knee to find, so k = ${k} was taken.`,
    };
  }
  const knees = [knee.k, ...perRestart.map((curve) => findKnee(ks, curve)?.k ?? ks[0]!)];
  const spread = Math.max(...knees) - Math.min(...knees);
  const agree = spread <= Math.max(1, Math.round(0.1 * (high - low)));
  const atKnee = candidates.find((c) => c.k === knee.k)?.silhouette ?? null;
  const separated = atKnee === null || atKnee >= SEPARATED_SILHOUETTE;
  const confidence =
    knee.strength < WEAK_KNEE ? "none" : knee.strength >= CLEAR_KNEE && agree && separated ? "clear" : "weak";
  const facts = [
    `knee strength ${round(knee.strength, 2)} (0 = straight line, ~1 = sharp elbow)`,
    perRestart.length > 1 ? `single restarts put it at k = ${knees.slice(1).join(", ")}` : "",
    atKnee === null ? "" : `sampled silhouette ${round(atKnee, 3)}`,
  ].filter((f) => f !== "");
  const verdict =
    confidence === "none"
      ? "WCSS falls almost linearly with k: there is no real elbow, and this k is a default rather than a finding."
      : confidence === "weak"
        ? "The elbow is weak; another k near it would be as defensible."
        : "The elbow is clear.";
  return {
    rule: "knee",
    chosenK: knee.k,
    candidates,
    confidence,
    explanation: `k = ${knee.k} is the knee of WCSS over k = ${low}..${high}${on}; ${facts.join("; ")}. ${verdict}`,
  };
}

function bySilhouette(candidates: readonly KCandidate[], on: string): KSelectionReport {
  const scored = candidates.filter((c) => c.silhouette !== null);
  if (scored.length === 0)
    throw new ValidationError(
      "rule",
      "the silhouette rule needs a silhouette sample (silhouetteSize > 0) and k >= 2",
    );
  const best = scored.reduce((a, b) => (b.silhouette! > a.silhouette! ? b : a));
  const value = best.silhouette!;
  const confidence = value >= 0.25 ? "clear" : value >= SEPARATED_SILHOUETTE ? "weak" : "none";
  return {
    rule: "silhouette",
    chosenK: best.k,
    candidates,
    confidence,
    explanation: `k = ${best.k} has the best sampled silhouette (${round(value, 3)})${on}. ${
      confidence === "none"
        ? "Clusters barely separate at any k."
        : confidence === "weak"
          ? "Separation is weak."
          : "Separation is clear."
    }`,
  };
}

/** The report for a k given in config: rule "fixed"; the one candidate carries the fit's WCSS and silhouette. */
export function fixedKReport(k: number, wcss: number, silhouette: number | null): KSelectionReport {
  return {
    rule: "fixed",
    chosenK: k,
    candidates: [{ k, wcss, silhouette }],
    confidence: "clear",
    explanation: `k = ${k} was fixed in config; no selection was made.`,
  };
}
