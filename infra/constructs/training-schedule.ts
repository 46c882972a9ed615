import { Duration, Stack, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { wildcardResourceFinding } from "../nag-findings.js";

/** Options of {@link TrainingSchedule}. */
export interface TrainingScheduleProps {
  readonly trainFunction: IFunction;
  /** Time between two scheduled runs. */
  readonly rate: Duration;
}

/** How often EventBridge Scheduler retries an invocation it could not deliver, and for how long. */
const SCHEDULE_RETRY = { attempts: 3, maxEventAge: Duration.hours(2) } as const;

/**
 * Retraining on a fixed rate with EventBridge Scheduler. An invocation Scheduler cannot deliver (throttled,
 * function missing) is retried, then parked in an SQS dead-letter queue (an alarm watches it). A run that
 * fails inside the function is retried once by Lambda's asynchronous invocation, then waits for the next
 * period: the active model keeps serving meanwhile, and the failure alarm fires.
 */
export class TrainingSchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: TrainingScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter queue of the training schedule.",
    });

    // Scheduler assumes this role, only on behalf of schedules in this account, to invoke the training.
    const role = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    });
    Validations.of(role).acknowledge({
      id: wildcardResourceFinding(this, props.trainFunction.functionArn, ":*"),
      reason:
        "lambda grantInvoke also covers the training function's versions and aliases (ARN:*); the role can " +
        "invoke nothing but the training function.",
    });
    const target = new LambdaInvoke(props.trainFunction, {
      role,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: SCHEDULE_RETRY.attempts,
      maxEventAge: SCHEDULE_RETRY.maxEventAge,
      // The training handler tells a scheduled run by `source` (functions/train-model/trigger.ts).
      input: ScheduleTargetInput.fromObject({
        source: "aws.scheduler",
        scheduleArn: ContextAttribute.scheduleArn,
        scheduledTime: ContextAttribute.scheduledTime,
      }),
    });
    this.schedule = new Schedule(this, "Schedule", {
      description: "cinecluster: retrain the taste clusters",
      schedule: ScheduleExpression.rate(props.rate),
      timeWindow: TimeWindow.off(),
      target,
    });

    props.trainFunction.configureAsyncInvoke({ retryAttempts: 1, maxEventAge: Duration.hours(1) });
  }
}
