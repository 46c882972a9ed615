/**
 * Between training and publishing: a truncated or wrong file must not replace a good model. The trained
 * model's figures are compared with the active version's before anything of the new version is written, so
 * a refused version leaves nothing behind (shared/domain/publishing/plausibility.ts holds the rule).
 */
import type { TrainedModel } from "../../shared/domain/clustering/model.js";
import {
  checkPlausible,
  DEFAULT_PLAUSIBILITY,
  type PlausibilityPolicy,
} from "../../shared/domain/publishing/plausibility.js";
import type { TrainingStore } from "../../shared/domain/training-ports.js";
import { ENV } from "../../shared/env-names.js";

/** Throws ModelRefusedError when `model` is not a plausible successor of `activeVersion` (or first model). */
export async function checkPlausibleSuccessor(
  store: Pick<TrainingStore, "versionFigures">,
  activeVersion: string | null,
  model: TrainedModel,
  policy: PlausibilityPolicy | undefined,
): Promise<void> {
  const activeFigures = activeVersion === null ? null : await store.versionFigures(activeVersion);
  checkPlausible(
    {
      users: model.userIds.length,
      favourites: model.stats.favourites,
      movies: model.stats.movies,
      k: model.clusters.length,
    },
    activeFigures,
    policy ?? DEFAULT_PLAUSIBILITY,
    ENV,
  );
}
