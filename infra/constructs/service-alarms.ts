import { Duration, Stack, Validations } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { type ITable, Operation } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { API_METRICS, ROUTES } from "../../shared/constants.js";

/** Options of {@link ServiceAlarms}. */
export interface ServiceAlarmsProps {
  readonly trainFunction: IFunction;
  /** Time between two scheduled training runs: the "no successful run" alarm looks back two of them. */
  readonly trainingRate: Duration;
  readonly api: IHttpApi;
  readonly table: ITable;
  readonly scheduleDeadLetterQueue: IQueue;
  /** Subscribed to the alarm topic when not empty. */
  readonly alarmEmail: string;
  /** A route's p99 latency above this (milliseconds) alarms. */
  readonly latencyAlarmMs: number;
}

/** An API function's metric (shared/telemetry/powertools-telemetry.ts writes it), by route and name. */
export function routeMetric(route: string, metricName: string, statistic: string, period = WINDOW): Metric {
  return new Metric({
    namespace: API_METRICS.namespace,
    metricName,
    dimensionsMap: { service: API_METRICS.service, [API_METRICS.routeDimension]: route },
    statistic,
    period,
  });
}

/** The `route` dimension of each API route: its function name (ROUTES). */
export const ROUTE_NAMES: readonly string[] = ROUTES.map((route) => route.functionName);

/** Short alarms look at five-minute windows. */
const WINDOW = Duration.minutes(5);

/** The table operations the functions call, whose throttled requests are alarmed on. */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/**
 * The alarms, all notifying one SNS topic: a failed training run; no successful training run in two
 * schedule periods; any API 5xx (API Gateway's count, which also sees function timeouts); per route, a 5xx
 * answered by the function and a p99 latency above `latencyAlarmMs` in two of three 5-minute windows; any
 * DynamoDB throttling; an undeliverable scheduled run.
 */
export class ServiceAlarms extends Construct {
  readonly topic: Topic;
  readonly trainingFailed: Alarm;
  readonly noSuccessfulTraining: Alarm;
  readonly apiServerErrors: Alarm;
  readonly tableThrottled: Alarm;
  readonly scheduleUndelivered: Alarm;
  /** Per route (function name): p99 latency above the setting. */
  readonly routeLatency: Readonly<Record<string, Alarm>>;
  /** Per route (function name): any 5xx the function answered. */
  readonly routeServerErrors: Readonly<Record<string, Alarm>>;
  /** The names of every alarm above, for the dashboard. */
  readonly alarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { trainFunction, trainingRate, api, table, scheduleDeadLetterQueue, alarmEmail, latencyAlarmMs } =
      props;

    this.topic = new Topic(this, "AlarmTopic", { displayName: "cinecluster alarms", enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: "AwsSolutions-SNS2",
      reason:
        "Alarm notifications carry only alarm names and states. CloudWatch cannot publish to a topic encrypted " +
        "with the AWS-managed SNS key, and a customer-managed key would cost more than the idle service.",
    });
    if (alarmEmail !== "") this.topic.addSubscription(new EmailSubscription(alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (
      alarmId: string,
      description: string,
      metric: IMetric,
      options: {
        comparisonOperator?: ComparisonOperator;
        threshold?: number;
        evaluationPeriods?: number;
        datapointsToAlarm?: number;
        treatMissingData?: TreatMissingData;
      } = {},
    ): Alarm => {
      const created = new Alarm(this, alarmId, {
        // Named, so the dashboard can show it by name (no GetAtt: an emulator without alarms still deploys).
        alarmName: `${Stack.of(this).stackName}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: options.threshold ?? 1,
        comparisonOperator:
          options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        ...(options.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: options.datapointsToAlarm }),
        treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      return created;
    };

    this.trainingFailed = alarm(
      "TrainingFailed",
      "A training run failed (the function threw or timed out); the previous model keeps serving.",
      trainFunction.metricErrors({ period: WINDOW, statistic: Stats.SUM }),
    );

    const successfulRuns = new MathExpression({
      label: "successful training runs",
      expression: "invocations - errors",
      usingMetrics: {
        invocations: trainFunction.metricInvocations({ period: trainingRate, statistic: Stats.SUM }),
        errors: trainFunction.metricErrors({ period: trainingRate, statistic: Stats.SUM }),
      },
      period: trainingRate,
    });
    this.noSuccessfulTraining = alarm(
      "NoSuccessfulTraining",
      "No training run succeeded in the last two schedule periods: the model is getting stale.",
      successfulRuns,
      {
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        // No invocation at all is no success either.
        treatMissingData: TreatMissingData.BREACHING,
      },
    );

    this.apiServerErrors = alarm(
      "ApiServerErrors",
      "The HTTP API answered 5xx (an unexpected error in a function, or a function timeout).",
      api.metricServerError({ period: WINDOW, statistic: Stats.SUM }),
    );

    this.tableThrottled = alarm(
      "TableThrottled",
      "DynamoDB throttled requests to the table.",
      table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: WINDOW }),
    );

    this.scheduleUndelivered = alarm(
      "ScheduleUndelivered",
      "EventBridge Scheduler could not invoke the training function; the event is in the dead-letter queue.",
      scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: WINDOW,
        statistic: Stats.MAXIMUM,
      }),
    );

    const latency: Record<string, Alarm> = {};
    const serverErrors: Record<string, Alarm> = {};
    for (const route of ROUTE_NAMES) {
      latency[route] = alarm(
        `Latency-${route}`,
        `${route}: p99 latency above ${latencyAlarmMs} ms in two of the last three 5-minute windows.`,
        routeMetric(route, API_METRICS.latency, Stats.p(99)),
        {
          threshold: latencyAlarmMs,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
        },
      );
      serverErrors[route] = alarm(
        `ServerErrors-${route}`,
        `${route} answered 5xx (an unexpected error; its log line "unexpected error" has the cause).`,
        routeMetric(route, API_METRICS.serverErrors, Stats.SUM),
      );
    }
    this.routeLatency = latency;
    this.routeServerErrors = serverErrors;
    this.alarmNames = this.node.children
      .filter((child): child is Alarm => child instanceof Alarm)
      .map((child) => child.node.id)
      .map((alarmId) => `${Stack.of(this).stackName}-${alarmId}`);
  }
}
