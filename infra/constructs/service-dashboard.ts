import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  Stats,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { API_METRICS, TRAINING_METRICS } from "../../shared/constants.js";
import { ROUTE_NAMES, routeMetric } from "./service-alarms.js";

/** Options of {@link ServiceDashboard}. */
export interface ServiceDashboardProps {
  /** `cinecluster-<stage>`: the dashboard's name. */
  readonly dashboardName: string;
  readonly trainFunction: IFunction;
  /** Shown in one alarm-status widget at the top, by name (ServiceAlarms names them). */
  readonly alarmNames: readonly string[];
}

/** Graph windows: five minutes, as the alarms. */
const PERIOD = Duration.minutes(5);

/** The training function's EMF metrics (functions/train-model/telemetry.ts). */
function trainingMetric(metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: TRAINING_METRICS.namespace,
    metricName,
    dimensionsMap: { service: TRAINING_METRICS.service },
    statistic,
    period: Duration.hours(1),
  });
}

/** One graph per statistic, a line per route. */
function perRoute(title: string, metricName: string, statistic: string): GraphWidget {
  const left: IMetric[] = ROUTE_NAMES.map((route) =>
    routeMetric(route, metricName, statistic, PERIOD).with({ label: route }),
  );
  return new GraphWidget({ title, left, width: 12, height: 6 });
}

/**
 * One CloudWatch dashboard for the service: the alarms' states; per route p99 and p50 latency, 4xx and
 * 5xx (the API functions' EMF metrics, namespace `cinecluster`); favourites recorded and removed and the
 * sources of recommendation lists; the training runs' duration and outcome.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const outcome = (route: string, metricName: string, label: string) =>
      routeMetric(route, metricName, Stats.SUM, PERIOD).with({ label });

    this.dashboard = new Dashboard(this, "Dashboard", {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          "## cinecluster\\nPer route: the API functions' own metrics (namespace `cinecluster`, see docs/telemetry.md). " +
          "Traces: X-Ray, service `cinecluster-api`.",
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: "Alarms",
        alarms: props.alarmNames.map((name, i) => Alarm.fromAlarmName(this, `Alarm${i}`, name)),
        width: 24,
        height: 4,
      }),
    );
    this.dashboard.addWidgets(
      perRoute("Latency p99 (ms)", API_METRICS.latency, Stats.p(99)),
      perRoute("Latency p50 (ms)", API_METRICS.latency, Stats.p(50)),
    );
    this.dashboard.addWidgets(
      perRoute("4xx answers", API_METRICS.clientErrors, Stats.SUM),
      perRoute("5xx answers", API_METRICS.serverErrors, Stats.SUM),
    );
    const sources = API_METRICS.recommendationSource;
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Favourites",
        left: [
          outcome("record-favourite", API_METRICS.favouritesRecorded, "recorded"),
          outcome("remove-favourite", API_METRICS.favouritesRemoved, "removed"),
        ],
        width: 12,
        height: 6,
      }),
      new GraphWidget({
        title: "Recommendation lists by source",
        left: [
          outcome("get-recommendations", sources.cluster, "taste group"),
          outcome("get-recommendations", sources["placed-cluster"], "placed in a group"),
          outcome("get-recommendations", sources.popular, "popular (no history)"),
        ],
        stacked: true,
        width: 12,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Training runs",
        left: [
          trainingMetric("TrainingSucceeded", Stats.SUM).with({ label: "succeeded" }),
          trainingMetric("TrainingFailed", Stats.SUM).with({ label: "failed" }),
          trainingMetric("TrainingRefused", Stats.SUM).with({ label: "refused by the gate" }),
        ],
        right: [trainingMetric("TrainingDuration", Stats.MAXIMUM).with({ label: "duration (ms)" })],
        width: 12,
        height: 6,
      }),
      new GraphWidget({
        title: "Training function",
        left: [
          props.trainFunction.metricInvocations({ period: Duration.hours(1) }),
          props.trainFunction.metricErrors({ period: Duration.hours(1) }),
        ],
        width: 12,
        height: 6,
      }),
    );
  }
}
