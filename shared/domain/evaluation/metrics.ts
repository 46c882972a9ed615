/**
 * Top-N recommendation metrics of ../shared/EVALUATION.md: precision, recall, NDCG (binary gains), hit rate,
 * MAP and catalogue coverage at a cut-off, as plain means over the evaluated users, with a 95% normal
 * interval for NDCG.
 */
import { ValidationError } from "../errors.js";

/** The metrics of one user's list against that user's held-out movies. */
export interface UserMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly ndcg: number;
  readonly hit: number;
  readonly averagePrecision: number;
}

/** Means over the evaluated users, and coverage over the catalogue. */
export interface TopNMetrics {
  readonly at: number;
  readonly users: number;
  readonly precision: number;
  readonly recall: number;
  readonly ndcg: number;
  /** Half-width of the 95% interval of mean NDCG, normal approximation: 1.96 x sample sd / sqrt(users). */
  readonly ndcgCi95: number;
  readonly hitRate: number;
  readonly map: number;
  /** Distinct recommended movies over the catalogue size. */
  readonly coverage: number;
  readonly distinctMovies: number;
}

/**
 * Scores one list at cut-off `at`: hits among the first `at` movies; NDCG with gain 1 per hit at
 * 1/log2(rank + 1) and the ideal over min(at, |relevant|) positions; AP divided by min(at, |relevant|).
 * A list shorter than `at` counts its missing positions as misses.
 */
export function scoreList(
  recommended: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  at: number,
): UserMetrics {
  if (relevant.size === 0)
    throw new ValidationError("relevant", "a user without held-out movies cannot be scored");
  const length = Math.min(at, recommended.length);
  let hits = 0;
  let dcg = 0;
  let precisionSum = 0;
  for (let i = 0; i < length; i++) {
    if (!relevant.has(recommended[i]!)) continue;
    hits++;
    dcg += 1 / Math.log2(i + 2);
    precisionSum += hits / (i + 1);
  }
  const ideal = Math.min(at, relevant.size);
  let idealDcg = 0;
  for (let i = 0; i < ideal; i++) idealDcg += 1 / Math.log2(i + 2);
  return {
    precision: hits / at,
    recall: hits / relevant.size,
    ndcg: dcg / idealDcg,
    hit: hits > 0 ? 1 : 0,
    averagePrecision: precisionSum / ideal,
  };
}

/** Accumulates users' lists and gives the means; create one per method and run. */
export interface MetricsAccumulator {
  /** Scores one user's list against that user's held-out movies (at least one). */
  add(recommended: ArrayLike<number>, relevant: ReadonlySet<number>): UserMetrics;
  result(): TopNMetrics;
}

/** Makes an accumulator at cut-off `at` (default 10) for a catalogue of `catalogueSize` movies. */
export function createMetricsAccumulator(options: {
  catalogueSize: number;
  at?: number;
}): MetricsAccumulator {
  const at = options.at ?? 10;
  if (!Number.isInteger(at) || at < 1)
    throw new ValidationError("at", `the cut-off must be a positive integer, got ${at}`);
  if (!(options.catalogueSize > 0)) {
    throw new ValidationError(
      "catalogueSize",
      `the catalogue size must be positive, got ${options.catalogueSize}`,
    );
  }
  const sums = { precision: 0, recall: 0, ndcg: 0, ndcgSquares: 0, hit: 0, averagePrecision: 0 };
  const distinct = new Set<number>();
  let users = 0;
  return {
    add(recommended, relevant) {
      const metrics = scoreList(recommended, relevant, at);
      users++;
      sums.precision += metrics.precision;
      sums.recall += metrics.recall;
      sums.ndcg += metrics.ndcg;
      sums.ndcgSquares += metrics.ndcg * metrics.ndcg;
      sums.hit += metrics.hit;
      sums.averagePrecision += metrics.averagePrecision;
      for (let i = 0; i < Math.min(at, recommended.length); i++) distinct.add(recommended[i]!);
      return metrics;
    },
    result() {
      const mean = (sum: number): number => (users === 0 ? 0 : sum / users);
      const ndcg = mean(sums.ndcg);
      const variance = users > 1 ? (sums.ndcgSquares - users * ndcg * ndcg) / (users - 1) : 0;
      return {
        at,
        users,
        precision: mean(sums.precision),
        recall: mean(sums.recall),
        ndcg,
        ndcgCi95: users > 1 ? (1.96 * Math.sqrt(Math.max(0, variance))) / Math.sqrt(users) : 0,
        hitRate: mean(sums.hit),
        map: mean(sums.averagePrecision),
        coverage: distinct.size / options.catalogueSize,
        distinctMovies: distinct.size,
      };
    },
  };
}
