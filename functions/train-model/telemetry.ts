import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { TRAINING_METRICS } from "../../shared/constants.js";

/**
 * Powertools wiring for the training function: structured JSON logs and CloudWatch EMF metrics. The
 * handler's logic only sees the two small ports below, so `npm start` can show progress its own way.
 */

/** Service name in every log line and metric dimension. */
export const SERVICE_NAME = TRAINING_METRICS.service;
/** CloudWatch namespace of the training metrics (the alarms in infra/ read them here). */
export const METRICS_NAMESPACE = TRAINING_METRICS.namespace;

/** Structured log calls the training handler makes; a Powertools Logger satisfies it. */
export interface TrainingLog {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Figures of one successful training run. */
export interface TrainingRunFigures {
  readonly durationMs: number;
  readonly rowsRead: number;
  readonly badRows: number;
  readonly users: number;
  readonly favourites: number;
  readonly apiFavourites: number;
  readonly k: number;
  readonly inertia: number;
}

/** Where the training handler reports its figures once per invocation. */
export interface TrainingMetrics {
  succeeded(figures: TrainingRunFigures): void;
  failed(durationMs: number, errorName: string): void;
  /** The new model failed the plausibility gate and was not published. */
  refused(durationMs: number): void;
}

/** Metric names, as they appear in CloudWatch (namespace {@link METRICS_NAMESPACE}). */
const METRIC = {
  duration: "TrainingDuration",
  rowsRead: "RatingRowsRead",
  badRows: "BadRatingRows",
  users: "TrainedUsers",
  favourites: "Favourites",
  apiFavourites: "ApiFavouritesMerged",
  k: "ClusterCount",
  inertia: "Inertia",
  succeeded: "TrainingSucceeded",
  failed: "TrainingFailed",
  refused: "TrainingRefused",
} as const;

/** Adapts a Powertools Logger to {@link TrainingLog}: one JSON line per call, attributes at the top level. */
function powertoolsTrainingLog(logger: Logger): TrainingLog {
  return {
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
  };
}

/** Creates the structured logger the training Lambda logs with (Powertools, JSON to CloudWatch). */
export function createTrainingLogger(): TrainingLog {
  return powertoolsTrainingLog(new Logger({ serviceName: SERVICE_NAME }));
}

/** Adapts a Powertools Metrics instance to {@link TrainingMetrics}: one EMF record per invocation. */
export function powertoolsTrainingMetrics(metrics: Metrics): TrainingMetrics {
  return {
    succeeded(figures) {
      metrics.addMetric(METRIC.duration, MetricUnit.Milliseconds, figures.durationMs);
      metrics.addMetric(METRIC.rowsRead, MetricUnit.Count, figures.rowsRead);
      metrics.addMetric(METRIC.badRows, MetricUnit.Count, figures.badRows);
      metrics.addMetric(METRIC.users, MetricUnit.Count, figures.users);
      metrics.addMetric(METRIC.favourites, MetricUnit.Count, figures.favourites);
      metrics.addMetric(METRIC.apiFavourites, MetricUnit.Count, figures.apiFavourites);
      metrics.addMetric(METRIC.k, MetricUnit.Count, figures.k);
      metrics.addMetric(METRIC.inertia, MetricUnit.NoUnit, figures.inertia);
      metrics.addMetric(METRIC.succeeded, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    },
    failed(durationMs, errorName) {
      metrics.addMetric(METRIC.duration, MetricUnit.Milliseconds, durationMs);
      metrics.addMetric(METRIC.failed, MetricUnit.Count, 1);
      metrics.addMetadata("error", errorName);
      metrics.publishStoredMetrics();
    },
    refused(durationMs) {
      metrics.addMetric(METRIC.duration, MetricUnit.Milliseconds, durationMs);
      metrics.addMetric(METRIC.refused, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    },
  };
}

/** Creates the EMF metrics of the training Lambda. */
export function createTrainingMetrics(): TrainingMetrics {
  return powertoolsTrainingMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }));
}
