import { describe, expect, it } from "vitest";
import { API_METRICS, ROUTES } from "../../shared/constants.js";
import {
  functionIds,
  idOf,
  resourcesOfType,
  type Synthesised,
  synthOncePerFile,
  synthStack,
} from "../helpers/synth-stack.js";

const synth = synthOncePerFile();

type Props = Record<string, unknown>;

function schedule(s: Synthesised): Props {
  const all = Object.values(resourcesOfType(s.template, "AWS::Scheduler::Schedule"));
  expect(all).toHaveLength(1);
  return all[0]!.Properties;
}

function alarms(s: Synthesised): Record<string, Props> {
  const byPath: Record<string, Props> = {};
  for (const [id, alarm] of Object.entries(resourcesOfType(s.template, "AWS::CloudWatch::Alarm"))) {
    const name = Object.entries(s.stack.alarms).find(
      ([, value]) =>
        typeof value === "object" && value !== null && "alarmArn" in value && idOf(s.stack, value) === id,
    )?.[0];
    byPath[name ?? id] = alarm.Properties;
  }
  return byPath;
}

describe("retraining schedule", () => {
  it("invokes the training function daily by default, with a retry policy and a dead-letter queue", () => {
    const props = schedule(synth);
    const target = props.Target as Props;
    const dlqId = idOf(synth.stack, synth.stack.schedule.deadLetterQueue);
    expect(props.ScheduleExpression).toBe("rate(1 day)");
    expect(props.State).toBe("ENABLED");
    expect(props.FlexibleTimeWindow).toEqual({ Mode: "OFF" });
    expect(target.Arn).toEqual({ "Fn::GetAtt": [functionIds(synth.stack, "train-model").fn, "Arn"] });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { "Fn::GetAtt": [dlqId, "Arn"] } });
    // The training handler tells a scheduled run from a manual one by this `source`.
    expect(JSON.parse(target.Input as string)).toMatchObject({ source: "aws.scheduler" });
  });

  it("takes its rate from the trainingRate context", () => {
    expect(schedule(synthStack({ trainingRate: "6 hours" })).ScheduleExpression).toBe("rate(6 hours)");
    expect(schedule(synthStack({ trainingRate: "90 minutes" })).ScheduleExpression).toBe("rate(90 minutes)");
  });

  it("lets the scheduler role invoke only the training function and write only to its dead-letter queue", () => {
    const target = schedule(synth).Target as { RoleArn: { "Fn::GetAtt": [string, string] } };
    const roleId = target.RoleArn["Fn::GetAtt"][0];
    const role = resourcesOfType(synth.template, "AWS::IAM::Role")[roleId]!.Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(resourcesOfType(synth.template, "AWS::IAM::Policy"))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      )
      .flatMap((st) => ([] as string[]).concat(st.Action));
    expect([...new Set(statements)].sort()).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
  });

  it("retries a failed run once through Lambda's asynchronous invocation, within an hour", () => {
    const configs = Object.values(resourcesOfType(synth.template, "AWS::Lambda::EventInvokeConfig"));
    expect(configs).toHaveLength(1);
    expect(configs[0]!.Properties).toMatchObject({
      FunctionName: { Ref: functionIds(synth.stack, "train-model").fn },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
    });
  });
});

describe("alarms", () => {
  it("alarms on any failed training run", () => {
    const alarm = alarms(synth).trainingFailed!;
    expect(alarm).toMatchObject({
      Namespace: "AWS/Lambda",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: functionIds(synth.stack, "train-model").fn } }],
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
  });

  it("alarms when no run succeeded in two schedule periods, counting no run at all as none", () => {
    const check = (s: Synthesised, periodSeconds: number): void => {
      const alarm = alarms(s).noSuccessfulTraining!;
      expect(alarm).toMatchObject({
        ComparisonOperator: "LessThanThreshold",
        Threshold: 1,
        EvaluationPeriods: 2,
        TreatMissingData: "breaching",
      });
      const metrics = alarm.Metrics as { Id: string; Expression?: string; MetricStat?: Props }[];
      expect(metrics.find((m) => m.Expression)!.Expression).toBe("invocations - errors");
      const stats = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!);
      expect(stats.map((stat) => (stat.Metric as Props).MetricName).sort()).toEqual([
        "Errors",
        "Invocations",
      ]);
      for (const stat of stats) expect([stat.Period, stat.Stat]).toEqual([periodSeconds, "Sum"]);
    };
    check(synth, 86_400);
    check(synthStack({ trainingRate: "12 hours" }), 43_200);
  });

  it("alarms on any API 5xx", () => {
    expect(alarms(synth).apiServerErrors).toMatchObject({
      Namespace: "AWS/ApiGateway",
      MetricName: "5xx",
      Dimensions: [{ Name: "ApiId", Value: { Ref: idOf(synth.stack, synth.stack.api.api) } }],
      Statistic: "Sum",
      Threshold: 1,
      Period: 300,
    });
  });

  it("alarms on DynamoDB throttling of any operation the functions use", () => {
    const alarm = alarms(synth).tableThrottled!;
    const metrics = alarm.Metrics as { Expression?: string; MetricStat?: { Metric: Props } }[];
    const operations = metrics
      .filter((m) => m.MetricStat)
      .map((m) => {
        expect(m.MetricStat!.Metric.MetricName).toBe("ThrottledRequests");
        const dims = m.MetricStat!.Metric.Dimensions as { Name: string; Value: unknown }[];
        expect(dims).toContainEqual({
          Name: "TableName",
          Value: { Ref: idOf(synth.stack, synth.stack.data.table) },
        });
        return dims.find((d) => d.Name === "Operation")!.Value;
      });
    expect(operations.sort()).toEqual(
      [
        "BatchGetItem",
        "BatchWriteItem",
        "DeleteItem",
        "GetItem",
        "PutItem",
        "Query",
        "TransactWriteItems",
        "UpdateItem",
      ].sort(),
    );
    expect(alarm.Threshold).toBe(1);
  });

  it("alarms when a scheduled run lands in the dead-letter queue", () => {
    expect(alarms(synth).scheduleUndelivered).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 1,
    });
  });

  it("sends every alarm to the alarm topic, which e-mails alarmEmail when set", () => {
    const topicId = idOf(synth.stack, synth.stack.alarms.topic);
    const all = Object.values(alarms(synth));
    // Five service alarms, and a latency and a 5xx alarm per route.
    expect(all).toHaveLength(5 + 2 * ROUTES.length);
    for (const alarm of all) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(Object.keys(resourcesOfType(synth.template, "AWS::SNS::Subscription"))).toHaveLength(0);
    const mailed = synthStack({ alarmEmail: "ops@example.org" });
    mailed.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.org",
    });
  });
});

describe("per-route alarms on the API functions' own metrics", () => {
  const alarmOf = (alarm: { node: { defaultChild?: unknown } } | undefined): Props => {
    expect(alarm).toBeDefined();
    return resourcesOfType(synth.template, "AWS::CloudWatch::Alarm")[idOf(synth.stack, alarm as never)]!
      .Properties;
  };
  // CDK writes dimensions sorted by name.
  const dimensionsOf = (route: string) => [
    { Name: "route", Value: route },
    { Name: "service", Value: API_METRICS.service },
  ];

  it.each(ROUTES.map((route) => route.functionName))(
    "%s: p99 latency above 1000 ms in 2 of 3 windows",
    (route) => {
      expect(alarmOf(synth.stack.alarms.routeLatency[route])).toMatchObject({
        Namespace: "cinecluster",
        MetricName: "Latency",
        Dimensions: dimensionsOf(route),
        ExtendedStatistic: "p99",
        Period: 300,
        Threshold: 1000,
        ComparisonOperator: "GreaterThanThreshold",
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: "notBreaching",
      });
    },
  );

  it.each(ROUTES.map((route) => route.functionName))("%s: any 5xx the function answered", (route) => {
    expect(alarmOf(synth.stack.alarms.routeServerErrors[route])).toMatchObject({
      Namespace: "cinecluster",
      MetricName: "ServerErrors",
      Dimensions: dimensionsOf(route),
      Statistic: "Sum",
      Period: 300,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("takes the latency threshold from the latencyAlarmMs context", () => {
    const s = synthStack({ latencyAlarmMs: "250" });
    const id = idOf(s.stack, s.stack.alarms.routeLatency["get-recommendations"] as never);
    expect(resourcesOfType(s.template, "AWS::CloudWatch::Alarm")[id]!.Properties.Threshold).toBe(250);
  });
});

describe("dashboard", () => {
  const dashboards = () => Object.values(resourcesOfType(synth.template, "AWS::CloudWatch::Dashboard"));
  /** The dashboard body: CloudFormation joins it from strings and tokens; the tokens become "<token>". */
  const body = (): { widgets: { properties: Record<string, any> }[] } => {
    const joined = dashboards()[0]!.Properties.DashboardBody as { "Fn::Join": [string, unknown[]] };
    return JSON.parse(
      joined["Fn::Join"][1].map((part) => (typeof part === "string" ? part : "<token>")).join(""),
    );
  };
  const widget = (title: string) => body().widgets.find((w) => w.properties.title === title)!.properties;

  it("is one dashboard named for the stage", () => {
    expect(dashboards()).toHaveLength(1);
    expect(dashboards()[0]!.Properties.DashboardName).toBe("cinecluster-dev");
  });

  it("graphs p99 latency, 4xx and 5xx of every route from the functions' metrics", () => {
    const routes = ROUTES.map((route) => route.functionName);
    for (const [title, metric, stat] of [
      ["Latency p99 (ms)", "Latency", "p99"],
      ["Latency p50 (ms)", "Latency", "p50"],
      ["4xx answers", "ClientErrors", "Sum"],
      ["5xx answers", "ServerErrors", "Sum"],
    ] as const) {
      const lines = widget(title).metrics as unknown[][];
      expect(lines.map((line) => line.slice(0, 6))).toEqual(
        routes.map((route) => ["cinecluster", metric, "route", route, "service", API_METRICS.service]),
      );
      for (const line of lines) expect(line[6]).toMatchObject({ stat });
    }
  });

  it("graphs favourites recorded and removed, and recommendation lists by source", () => {
    expect((widget("Favourites").metrics as unknown[][]).map((line) => line[1])).toEqual([
      "FavouritesRecorded",
      "FavouritesRemoved",
    ]);
    expect((widget("Recommendation lists by source").metrics as unknown[][]).map((line) => line[1])).toEqual([
      "RecommendationsFromCluster",
      "RecommendationsFromPlacedCluster",
      "RecommendationsFromPopular",
    ]);
  });

  it("shows the state of every alarm", () => {
    const alarmWidget = body().widgets.find((w) => w.properties.title === "Alarms")!.properties;
    expect(alarmWidget.alarms).toHaveLength(5 + 2 * ROUTES.length);
  });
});
