import { ModelRefusedError } from "../errors.js";
import { PUBLISHING_DEFAULTS } from "../settings.js";

/**
 * The plausibility gate a trained model passes before it may replace the active one: a truncated or wrong
 * ratings file (one user instead of 610) must not replace a good model. Pure: the figures come in.
 */

/** What is compared between the new model and the active one. */
export interface ModelFigures {
  /** Users with at least one favourite (the users the model can place). */
  readonly users: number;
  readonly favourites: number;
  /** Movies with at least one rating in the training data. */
  readonly movies: number;
  /** Taste groups served (after folding small clusters). */
  readonly k: number;
}

/** Shares of the active model's figures the new one must reach, and the smallest k. */
export interface PlausibilityPolicy {
  readonly minUserShare: number;
  readonly minFavouriteShare: number;
  readonly minMovieShare: number;
  readonly minK: number;
}

/** The defaults: half of the active model's users, favourites and movies, and at least two taste groups. */
export const DEFAULT_PLAUSIBILITY: PlausibilityPolicy = PUBLISHING_DEFAULTS.plausibility;

/** What any model, the first one too, must have: with fewer there is nothing to recommend from. */
const ABSOLUTE_MINIMUMS: Omit<ModelFigures, "k"> = { users: 2, favourites: 2, movies: 2 };

/** The setting that overrides each rule, as the caller names it (an environment variable). */
export type PolicyNames = Readonly<Record<keyof PlausibilityPolicy, string>>;

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

const FIGURES = [
  { figure: "users", setting: "minUserShare", words: ["user with favourites", "users with favourites"] },
  { figure: "favourites", setting: "minFavouriteShare", words: ["favourite", "favourites"] },
  { figure: "movies", setting: "minMovieShare", words: ["rated movie", "rated movies"] },
] as const;

/**
 * Every reason to refuse `candidate`, in plain words naming the numbers and the setting that overrides the
 * rule; empty when it may be published. With no active model (the first one) only the absolute minimums
 * and `minK` apply; otherwise each of users, favourites and movies must reach its share of the active
 * model's figure.
 */
export function plausibilityProblems(
  candidate: ModelFigures,
  active: ModelFigures | null,
  policy: PlausibilityPolicy,
  names: PolicyNames,
): string[] {
  const problems: string[] = [];
  for (const { figure, setting, words } of FIGURES) {
    const has = candidate[figure];
    const needed = active === null ? 0 : Math.ceil(active[figure] * policy[setting]);
    if (active !== null && has < needed) {
      problems.push(
        `the new file has ${plural(has, words[0], words[1])}; the active model has ${active[figure].toLocaleString("en-GB")} ` +
          `(at least ${Math.round(policy[setting] * 100)}% = ${needed.toLocaleString("en-GB")} needed; set ${names[setting]} to override)`,
      );
    } else if (has < ABSOLUTE_MINIMUMS[figure]) {
      problems.push(
        `the new file has ${plural(has, words[0], words[1])}; at least ${ABSOLUTE_MINIMUMS[figure]} are needed`,
      );
    }
  }
  if (candidate.k < policy.minK) {
    problems.push(
      `the new model has ${plural(candidate.k, "taste group", "taste groups")}; at least ${policy.minK} needed (set ${names.minK} to override)`,
    );
  }
  return problems;
}

/** Throws ModelRefusedError listing every problem when the candidate may not be published. */
export function checkPlausible(
  candidate: ModelFigures,
  active: ModelFigures | null,
  policy: PlausibilityPolicy,
  names: PolicyNames,
): void {
  const problems = plausibilityProblems(candidate, active, policy, names);
  if (problems.length > 0) {
    throw new ModelRefusedError(`refusing to publish: ${problems.join("; ")}`, candidate, active);
  }
}
